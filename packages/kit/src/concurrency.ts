import type { FastifyReply, FastifyRequest } from 'fastify';
import { preconditionFailed, preconditionRequired, validationProblem } from './problems';

/** Sets `ETag: "<version>"`. */
export function setVersionTag(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`);
}

/** The version the client edited, from `If-Match: "<version>"`; 428 when missing. */
export function requiredIfMatch(request: FastifyRequest): number {
  const raw = request.headers['if-match'];
  if (!raw) throw preconditionRequired();
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(raw).trim());
  if (!m) throw validationProblem([{ path: 'headers.if-match', message: 'must be the ETag of a version, e.g. "3"' }]);
  return Number(m[1]);
}

/** Throws 412 when the client's version is not the current one. */
export function assertVersion(current: number, expected: number): void {
  if (current !== expected) throw preconditionFailed(current);
}
