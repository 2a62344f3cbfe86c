import { DriverException } from '@mikro-orm/core';
import { uuidv7 } from 'uuidv7';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badTextPaths, IMPORT_ENTITIES, type ImportEntity, type ImportStatus } from '@kapocs/contracts';
import { ProblemError, validationProblem, type JobQueue, type Principal } from '@kapocs/kit';
import { IMPORT_TASK, importTargetOf, requireImportRole } from './import-job';
import { fileTooLarge, unsupportedFile } from './imports.problems';
import { UploadSniffer } from './spreadsheet';

const CHUNK_BYTES = 1024 * 1024;

/** One part of a multipart upload, as @fastify/multipart hands it over. */
export type UploadPart =
  | { type: 'field'; fieldname: string; value: unknown }
  | { type: 'file'; fieldname: string; filename: string; file: AsyncIterable<Buffer> & { truncated?: boolean } };

/**
 * A body that is not readable multipart (no body, no boundary, cut off, malformed headers) is the client's
 * 400 naming the body; our own problems, the multipart plugin's 4xx (too many parts) and database errors pass.
 */
function unreadableUpload(err: unknown): unknown {
  if (err instanceof ProblemError || err instanceof DriverException) return err;
  const status = (err as { statusCode?: number })?.statusCode;
  if (status !== undefined && status < 500) return err;
  const message = err instanceof Error ? err.message : String(err);
  return /multipart|boundary|unexpected end|malformed|part/i.test(message)
    ? validationProblem([{ path: '(body)', message: `is not a readable multipart/form-data body with the fields entity and file (${message})` }])
    : err;
}

const isTooLarge = (err: unknown) => (err as { code?: string })?.code === 'FST_REQ_FILE_TOO_LARGE' || (err as { statusCode?: number })?.statusCode === 413;

/**
 * Receives an import: the file streams into the database in 1 MB pieces while its bytes are sniffed, then the
 * job is recorded as `validating`, all in one transaction. Nothing is parsed here; the runner does that.
 */
export async function receiveImport(em: EntityManager, who: Principal, parts: AsyncIterable<UploadPart>, maxBytes: number, jobs: JobQueue): Promise<{ id: string; status: ImportStatus }> {
  requireImportRole(who);
  const id = uuidv7();
  return em.transactional(async (tx) => {
    const now = new Date();
    await tx.execute(
      `insert into partners.import_job (id, entity, status, format, size_bytes, created_by, principal, created_at, updated_at)
       values (?, '', 'receiving', '', 0, ?, ?::jsonb, ?, ?)`,
      [id, who.id, JSON.stringify(who), now, now],
    );
    const fields: Record<string, string> = {};
    let sniffed: ReturnType<UploadSniffer['finish']> | null = null;
    let fileName: string | null = null;
    let size = 0;
    try {
      for await (const part of parts) {
        if (part.type === 'field') { fields[part.fieldname] = String(part.value ?? ''); continue; }
        if (part.fieldname !== 'file' || sniffed) {
          for await (const _ of part.file) { /* a second file is drained and ignored */ }
          continue;
        }
        // only a label of the import: a NUL (which PostgreSQL refuses in text) is dropped, not a reason to refuse the file
        fileName = part.filename?.replaceAll('\u0000', '') || null;
        const sniffer = new UploadSniffer();
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        let seq = 0;
        const flush = async () => {
          if (!pendingBytes) return;
          await tx.execute(`insert into partners.import_chunk (import_id, seq, data) values (?, ?, ?)`, [id, seq++, Buffer.concat(pending)]);
          pending = [];
          pendingBytes = 0;
        };
        for await (const chunk of part.file) {
          sniffer.push(chunk);
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= CHUNK_BYTES) await flush();
        }
        if (part.file.truncated) throw fileTooLarge(maxBytes);
        await flush();
        size = sniffer.size;
        sniffed = sniffer.finish();
      }
    } catch (err) {
      if (isTooLarge(err)) throw fileTooLarge(maxBytes);
      throw unreadableUpload(err);
    }
    const errors = [];
    const badText = badTextPaths(fields);
    errors.push(...badText);
    if (!IMPORT_ENTITIES.includes(fields.entity as ImportEntity)) errors.push({ path: 'entity', message: `must be one of ${IMPORT_ENTITIES.join(', ')}` });
    else if (!importTargetOf(fields.entity as ImportEntity)) errors.push({ path: 'entity', message: `importing ${fields.entity} is not available yet` });
    if (!sniffed) errors.push({ path: 'file', message: 'is required' });
    let mapping: Record<string, string | null> = {};
    if (fields.mapping && !badText.some((e) => e.path === 'mapping')) {
      try {
        const m = JSON.parse(fields.mapping) as unknown;
        if (!m || typeof m !== 'object' || Array.isArray(m) || Object.values(m).some((v) => v !== null && typeof v !== 'string')) throw new Error('shape');
        // stored as jsonb, which refuses NUL and half surrogate pairs
        if (badTextPaths(m).length) throw new Error('text');
        mapping = m as Record<string, string | null>;
      } catch {
        errors.push({ path: 'mapping', message: 'must be a JSON object of { "header": "field" }' });
      }
    }
    if (errors.length) throw validationProblem(errors);
    if (!sniffed!.format) throw unsupportedFile(sniffed!.reason ?? 'not CSV or XLSX');
    await tx.execute(
      `update partners.import_job set entity = ?, status = 'validating', file_name = ?, format = ?, encoding = ?, delimiter = ?, size_bytes = ?, mapping = ?::jsonb where id = ?`,
      [fields.entity, fileName?.slice(0, 300) ?? null, sniffed!.format, sniffed!.encoding, sniffed!.delimiter, size, JSON.stringify(mapping), id],
    );
    // the dry run is queued with the file: both commit, or neither
    await jobs.add(tx, IMPORT_TASK, { id }, { key: `import:${id}` });
    return { id, status: 'validating' as const };
  });
}
