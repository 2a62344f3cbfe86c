import { expect } from 'vitest';
import type { ServiceApp } from '@kapocs/kit';
import { authAs, type DemoUser } from '@kapocs/kit/testing';
import { as, type Harness } from './harness';

export type ImportReport = {
  id: string; status: string; rows: number; processed: number; valid: number; created?: number; updated?: number; skipped?: number;
  errors: { row: number; column: string; message: string }[]; duplicates: { row: number; matchId: string | null; matchRow?: number; reason: string }[];
  conflicts?: { row: number; id: string; reason: string }[]; failure?: string;
};

export type UploadFile = { name: string; bytes: Buffer | string; type?: string };

/** CSV lines as a file body (CRLF, as Excel writes it). */
export const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';

/** A multipart body as a browser would send it (FormData through a Response gives the bytes and the boundary). */
export async function multipart(fields: Record<string, string>, file?: UploadFile) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([typeof file.bytes === 'string' ? Buffer.from(file.bytes) : new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = new Response(form);
  return { payload: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type')! };
}

/** Upload, dry run, commit and undo through the public routes of the harness's app (`harness` is read at call time). */
export function importSteps(harness: () => Harness) {
  async function upload(user: DemoUser, file: UploadFile, fields: Record<string, string> = {}, app: ServiceApp = harness().app) {
    const { payload, contentType } = await multipart({ entity: 'company', ...fields }, file);
    return app.inject({ method: 'POST', url: '/imports', headers: { ...(await authAs(user)), 'content-type': contentType }, payload });
  }

  /** Waits until the import is no longer validating, committing or undoing, and answers its report. */
  async function settled(user: DemoUser, id: string): Promise<ImportReport> {
    const until = Date.now() + 60_000;
    for (;;) {
      const res = await as(harness(), user).get(`/imports/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json() as ImportReport;
      if (!['validating', 'committing', 'undoing'].includes(report.status)) return report;
      if (Date.now() > until) throw new Error(`import ${id} still ${report.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Uploads and waits for the dry run. */
  async function dryRun(user: DemoUser, file: UploadFile, fields: Record<string, string> = {}, app?: ServiceApp) {
    const res = await upload(user, file, fields, app);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ id: expect.any(String), status: 'validating' });
    return settled(user, res.json().id);
  }

  async function commit(user: DemoUser, id: string, body?: object) {
    const res = await as(harness(), user).post(`/imports/${id}/commit`, body ?? {});
    expect(res.statusCode, res.body).toBe(202);
    return settled(user, id);
  }

  async function undo(user: DemoUser, id: string) {
    const res = await as(harness(), user).post(`/imports/${id}/undo`, {});
    expect(res.statusCode, res.body).toBe(202);
    return settled(user, id);
  }

  return { upload, settled, dryRun, commit, undo };
}
