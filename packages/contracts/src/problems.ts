/** Base URI of every problem type (RFC 9457 `type`). */
export const PROBLEM_BASE = 'https://kapocs.dev/problems/';

/** Problem types shared by every service and the gateway. */
export const ProblemTypes = {
  validation: `${PROBLEM_BASE}validation`,
  unauthorized: `${PROBLEM_BASE}unauthorized`,
  forbidden: `${PROBLEM_BASE}forbidden`,
  notFound: `${PROBLEM_BASE}not-found`,
  preconditionFailed: `${PROBLEM_BASE}precondition-failed`,
  preconditionRequired: `${PROBLEM_BASE}precondition-required`,
  conflict: `${PROBLEM_BASE}conflict`,
  tooManyRequests: `${PROBLEM_BASE}too-many-requests`,
  payloadTooLarge: `${PROBLEM_BASE}payload-too-large`,
  unsupportedMediaType: `${PROBLEM_BASE}unsupported-media-type`,
  badGateway: `${PROBLEM_BASE}bad-gateway`,
  /** A server the answer depends on (PostgreSQL, NATS, an upstream service) is down for now: retry after `Retry-After`. */
  unavailable: `${PROBLEM_BASE}service-unavailable`,
  gatewayTimeout: `${PROBLEM_BASE}gateway-timeout`,
  internal: `${PROBLEM_BASE}internal`,
} as const;

/** One bad field of a request. `path` is dotted (`emails.0.address`, `query.limit`). */
export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details as Kapocs sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  traceId?: string;
  errors?: FieldError[];
}
