import { z } from 'zod';
import multipart from '@fastify/multipart';
import type { MikroORM } from '@mikro-orm/postgresql';
import { customRulesOf, loadConfig, type ServiceApp, type ServiceDeps, type UserDirectory } from '@kapocs/kit';
import { languageOf, type Cell } from './columns';
import { unsupportedFile } from './imports.problems';
import { IMPORT_STATUSES, importReport, importTargetOf, receiveImport, requireImportRole, startCommit, startImportRunner, startUndo, type ImportRunner, type UploadPart } from './imports.service';
import { sheetWriter, type FileFormat } from './spreadsheet';

const tags = ['imports'];
const idParams = z.object({ id: z.uuid() });

/** Keys of the environment the imports read. */
export const importsConfigShape = {
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
};

const accepted = z.object({ id: z.uuid(), status: z.enum(IMPORT_STATUSES) });
const commitBody = z.strictObject({ onDuplicate: z.enum(['skip', 'update', 'create']).default('skip') }).default({ onDuplicate: 'skip' });

/** Template and export files, written as a stream. */
export async function sendSheet(reply: import('fastify').FastifyReply, format: FileFormat, fileName: string, lang: 'hu' | 'en', fill: (add: (cells: Cell[]) => Promise<void>) => Promise<void>) {
  // Hungarian Excel opens `;`-separated CSV; English Excel `,`
  const writer = sheetWriter(format, { sheetName: fileName.replace(/\..*$/, ''), delimiter: lang === 'hu' ? ';' : ',' });
  void (async () => {
    try {
      await fill((cells) => writer.addRow(cells));
      await writer.end();
    } catch (err) {
      reply.log.error({ err }, 'writing a spreadsheet failed');
      writer.fail(err as Error);
    }
  })();
  return reply.type(writer.contentType).header('content-disposition', `attachment; filename="${fileName}"`).send(writer.stream);
}

/** `/imports` (P6): upload and dry run, report, commit, undo, templates. The owner column's users come from `directory`. */
export function importsRoutes(app: ServiceApp, orm: MikroORM, deps: Pick<ServiceDeps, 'env'> & { directory: UserDirectory }): ImportRunner {
  const config = loadConfig(importsConfigShape, deps.env ?? {});
  const em = () => orm.em.fork();
  const runner = startImportRunner(orm, app.log, { directory: deps.directory });
  app.addHook('onReady', async () => { await runner.sweep().catch((err) => app.log.error({ err }, 'import sweep failed')); });
  app.addHook('onClose', async () => runner.stop());

  // multipart only here: no other route of the service takes uploads
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: config.IMPORT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 20 } });
    scope.post('/imports', { config: { idempotent: true }, schema: { tags, consumes: ['multipart/form-data'], response: { 202: accepted } } }, async (req, reply) => {
      requireImportRole(req.principal);
      if (!req.isMultipart()) throw unsupportedFile('the request is not multipart/form-data with the fields entity and file');
      const result = await receiveImport(em(), req.principal, req.parts() as AsyncIterable<UploadPart>, config.IMPORT_MAX_BYTES);
      runner.kick(result.id);
      return reply.code(202).header('location', `/imports/${result.id}`).send(result);
    });
  });

  app.get('/imports/:id', { schema: { tags, params: idParams } }, async (req) => importReport(em(), req.principal, req.params.id));

  app.post('/imports/:id/commit', { schema: { tags, params: idParams, body: commitBody.optional(), response: { 202: accepted } } }, async (req, reply) => {
    const result = await startCommit(em(), req.principal, req.params.id, req.body?.onDuplicate ?? 'skip');
    runner.kick(result.id);
    return reply.code(202).send(result);
  });

  app.post('/imports/:id/undo', { schema: { tags, params: idParams, response: { 202: accepted } } }, async (req, reply) => {
    const result = await startUndo(em(), req.principal, req.params.id);
    runner.kick(result.id);
    return reply.code(202).send(result);
  });

  app.get('/imports/templates/:file', { schema: { tags, params: z.object({ file: z.string().regex(/^(company|person)\.(csv|xlsx)$/, 'must be company.csv, company.xlsx, person.csv or person.xlsx') }) } }, async (req, reply) => {
    const [entity, format] = req.params.file.split('.') as [string, FileFormat];
    const target = importTargetOf(entity);
    if (!target) throw unsupportedFile(`no template for ${entity} yet`);
    const lang = languageOf(req.headers['accept-language']);
    const columns = target.columns(await customRulesOf(em(), entity)).filter((c) => !c.notInTemplate);
    return sendSheet(reply, format, `${entity}-import.${format}`, lang, async (add) => {
      await add(columns.map((c) => c.label[lang]));
      // the example owner is the one who downloads it: the example row imports as it is
      await add(columns.map((c) => (c.key === 'owner' ? req.principal.username : c.example ?? null)));
    });
  });

  return runner;
}
