import { ProblemTypes } from '@kapocs/contracts';
import { ProblemError } from '@kapocs/kit';
import { formatSize } from './body-limits';

export const GATEWAY_TIMEOUT_TYPE = ProblemTypes.gatewayTimeout;

/** 502: no answer came back: the service could not be reached, or it dropped the connection without answering. */
export const badGateway = (service: string, why = 'is not reachable') =>
  new ProblemError({ type: ProblemTypes.badGateway, title: 'Bad gateway', status: 502, detail: `The ${service} service ${why}; try again shortly.` });

/** 503: the service refuses connections or says it is not ready; its routes only, for a while. */
export const serviceUnavailable = (service: string, retryAfterSeconds: number, why: string) =>
  new ProblemError({
    type: ProblemTypes.unavailable,
    title: 'Service unavailable',
    status: 503,
    detail: `The ${service} service is unavailable (${why}); retry in ${retryAfterSeconds} s.`,
    headers: { 'retry-after': String(retryAfterSeconds) },
  });

/** 504: the service took longer than the gateway waits. */
export const gatewayTimeout = (service: string, timeoutMs: number) =>
  new ProblemError({ type: GATEWAY_TIMEOUT_TYPE, title: 'Gateway timeout', status: 504, detail: `The ${service} service timed out: no answer within ${timeoutMs} ms.` });

/** 413 from the gateway itself, before the body reaches the service. */
export const payloadTooLarge = (limit: number) =>
  new ProblemError({
    type: ProblemTypes.payloadTooLarge,
    title: 'Request body too large',
    status: 413,
    detail: `This route takes a request body of at most ${formatSize(limit)}.`,
  });
