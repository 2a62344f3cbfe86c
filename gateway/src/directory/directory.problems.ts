import { ProblemTypes } from '@kapocs/contracts';
import { ProblemError } from '@kapocs/kit';

/** 502: Keycloak could not give the directory and there is no earlier copy to answer with. */
export const directoryUnavailable = () =>
  new ProblemError({ type: ProblemTypes.badGateway, title: 'Bad gateway', status: 502, detail: 'The user directory (Keycloak) is not reachable; try again shortly.' });
