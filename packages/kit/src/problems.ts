import { ProblemTypes, type FieldError, type Problem } from '@kapocs/contracts';

/** An error that answers as RFC 9457 problem+json. Domain code throws these; one handler maps them. */
export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  /** RFC 9457 extension members answered beside the standard ones (e.g. `mergedInto`). */
  readonly extensions?: Record<string, unknown>;

  constructor(p: Omit<Problem, 'instance' | 'traceId'> & { headers?: Record<string, string>; extensions?: Record<string, unknown> }) {
    super(p.detail ?? p.title);
    this.name = 'ProblemError';
    this.status = p.status;
    this.type = p.type;
    this.title = p.title;
    if (p.detail !== undefined) this.detail = p.detail;
    if (p.errors !== undefined) this.errors = p.errors;
    if (p.headers !== undefined) this.headers = p.headers;
    if (p.extensions !== undefined) this.extensions = p.extensions;
  }
}

/** 400 naming every bad field. */
export const validationProblem = (errors: FieldError[], detail = 'The request has invalid fields.') =>
  new ProblemError({ type: ProblemTypes.validation, title: 'Invalid request', status: 400, detail, errors });

/** 404 for a record that does not exist or that the caller may not see (the two look the same). */
export const notFound = (what: string, type: string = ProblemTypes.notFound) =>
  new ProblemError({ type, title: `${what} not found`, status: 404, detail: `No ${what.toLowerCase()} with this id is visible to you.` });

export const unauthorized = (detail: string) =>
  new ProblemError({ type: ProblemTypes.unauthorized, title: 'Unauthorized', status: 401, detail, headers: { 'www-authenticate': 'Bearer realm="crm"' } });

export const forbidden = (detail: string) =>
  new ProblemError({ type: ProblemTypes.forbidden, title: 'Forbidden', status: 403, detail });

export const preconditionFailed = (current: number) =>
  new ProblemError({
    type: ProblemTypes.preconditionFailed,
    title: 'The record has changed',
    status: 412,
    detail: `If-Match does not match the current version ${current}; reload and apply your change again.`,
  });

export const preconditionRequired = () =>
  new ProblemError({
    type: ProblemTypes.preconditionRequired,
    title: 'If-Match required',
    status: 428,
    detail: 'Send the ETag of the version you edited in If-Match.',
  });

export const conflict = (detail: string, type: string = ProblemTypes.conflict) =>
  new ProblemError({ type, title: 'Conflict', status: 409, detail });
