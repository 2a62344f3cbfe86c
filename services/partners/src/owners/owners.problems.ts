import { PROBLEM_BASE } from '@kapocs/contracts';
import { forbidden, ProblemError, validationProblem } from '@kapocs/kit';

export const cannotAssignOwnerOf = (what: string) =>
  forbidden(`Only managers, directors and admins may make someone else the owner of a ${what}, and a manager only within their departments.`);
export const cannotReassign = () => forbidden('Only managers (within their departments), directors and admins may reassign owners.');

/** 400 naming `ownerId`: the new owner is not a CRM user (unknown, disabled, or without a crm-* role). */
export const notACrmUser = (why: string) =>
  validationProblem([{ path: 'ownerId', message: `must be a CRM user: ${why}` }], 'The new owner is not a CRM user; nothing was written.');

/** 503, retryable: the owner changes, and the directory that gives the new owner's department cannot be read. */
export const directoryUnreachable = () =>
  new ProblemError({
    type: `${PROBLEM_BASE}directory-unavailable`, title: 'Service unavailable', status: 503, headers: { 'retry-after': '10' },
    detail: 'The user directory (Keycloak) is not reachable, so the new owner and their department cannot be checked; nothing was written. Try again shortly.',
  });
