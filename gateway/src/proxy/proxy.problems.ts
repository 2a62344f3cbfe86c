import { PROBLEM_BASE, ProblemTypes } from '@kapocs/contracts';
import { ProblemError } from '@kapocs/kit';

export const GATEWAY_TIMEOUT_TYPE = `${PROBLEM_BASE}gateway-timeout`;

/** 502: the service could not be reached or answered with something that is not HTTP. */
export const badGateway = (service: string) =>
  new ProblemError({ type: ProblemTypes.badGateway, title: 'Bad gateway', status: 502, detail: `The ${service} service is not reachable; try again shortly.` });

/** 504: the service took longer than the gateway waits. */
export const gatewayTimeout = (service: string, timeoutMs: number) =>
  new ProblemError({ type: GATEWAY_TIMEOUT_TYPE, title: 'Gateway timeout', status: 504, detail: `The ${service} service did not answer within ${timeoutMs} ms.` });
