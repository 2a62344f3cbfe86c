import { z } from 'zod';
import multipart from '@fastify/multipart';
import type { MikroORM } from '@mikro-orm/postgresql';
import { IMPORT_STATUSES } from '@kapocs/contracts';
import { customRulesOf, type JobQueue, type ServiceApp } from '@kapocs/kit';
import { languageOf, type Cell } from './columns';
import { unsupportedFile } from './imports.problems';
import { importTargetOf, requireImportRole } from './import-job';
import { startCommit } from './imports.commit';
import { receiveImport, type UploadPart } from './imports.receive';
import { importReport } from './imports.report';
import { startUndo } from './imports.undo';
import { sheetWriter, type FileFormat } from './spreadsheet';

const tags = ['imports'];
const idParams = z.object({ id: z.uuid() });

/** Keys of the environment the imports read (part of the service's config). */
export const importsConfigShape = {
  IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Runs of a failing commit or undo before the import is marked failed (and can be retried). */
  IMPORT_JOB_ATTEMPTS: z.coerce.number().int().min(1).max(25).default(5),
  /** Rows per batch (one transaction of a commit or undo). */
  IMPORT_BATCH_ROWS: z.coerce.number().int().min(1).max(5000).default(500),
  /** Test-only: a pause in every batch, to make a slow import. */
  IMPORT_TEST_BATCH_DELAY_MS: z.coerce.number().int().min(0).default(0),
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

/** `/imports` (P6): upload and dry run, report, commit, undo, templates. Each step runs as a job of `jobs` (the service's workers). */
export function importsRoutes(app: ServiceApp, orm: MikroORM, deps: { config: { IMPORT_MAX_BYTES: number }; jobs: JobQueue }) {
  const { config, jobs } = deps;
  const em = () => orm.em.fork();

  // multipart only here: no other route of the service takes uploads
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: config.IMPORT_MAX_BYTES, files: 1, fields: 10, fieldSize: 1024 * 1024, parts: 20 } });
    scope.post('/imports', { config: { idempotent: true }, schema: { tags, consumes: ['multipart/form-data'], response: { 202: accepted } } }, async (req, reply) => {
      requireImportRole(req.principal);
      if (!req.isMultipart()) throw unsupportedFile('the request is not multipart/form-data with the fields entity and file');
      const result = await receiveImport(em(), req.principal, req.parts() as AsyncIterable<UploadPart>, config.IMPORT_MAX_BYTES, jobs);
      return reply.code(202).header('location', `/imports/${result.id}`).send(result);
    });
  });

  app.get('/imports/:id', { schema: { tags, params: idParams } }, async (req) => importReport(em(), req.principal, req.params.id));

  app.post('/imports/:id/commit', {
    schema: {
      tags, params: idParams, body: commitBody.optional(), response: { 202: accepted },
      description: 'Writes the valid rows of a validated import (202; GET /imports/{id} follows it). Also retries a commit that failed (status `failed` while committing): it carries on with the rows not yet written, with the duplicate choice it was first started with (the body is then ignored), and ends with exactly the records the first commit would have written.',
    },
  }, async (req, reply) => reply.code(202).send(await startCommit(em(), req.principal, req.params.id, req.body?.onDuplicate ?? 'skip', jobs)));

  app.post('/imports/:id/undo', {
    schema: {
      tags, params: idParams, response: { 202: accepted },
      description: 'Takes a committed import back (202; GET /imports/{id} follows it): created records are deleted, updated ones restored unless changed since. Also retries an undo that failed (status `failed` while undoing): it carries on with the rows not yet undone.',
    },
  }, async (req, reply) => reply.code(202).send(await startUndo(em(), req.principal, req.params.id, jobs)));

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
}
