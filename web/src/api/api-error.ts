import type { FieldError, Problem } from '@kapocs/contracts';

/** A failed gateway call, carrying the RFC 9457 problem the server sent (or one made up here). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  /** The server could not be reached at all (status 0). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && typeof (v as Problem).status === 'number' && typeof (v as Problem).title === 'string';
}

/** Turns a non-2xx answer into an ApiError, whether or not its body is problem+json. */
export async function problemFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (isProblem(body)) return new ApiError({ ...body, status: res.status });
  return new ApiError({ type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status });
}

export function networkError(cause: unknown): ApiError {
  return new ApiError({
    type: 'about:blank',
    title: 'Network error',
    status: 0,
    detail: cause instanceof Error ? cause.message : String(cause),
  });
}
