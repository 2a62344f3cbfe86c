import { PROBLEM_BASE } from '@kapocs/contracts';
import { forbidden, ProblemError, validationProblem } from '@kapocs/kit';

export const cannotAssignOwnerOf = (what: string) =>
  forbidden(`Only managers, directors and admins may make someone else the owner of a ${what}, and a manager only within their departments.`);
export const cannotReassign = () => forbidden('Only managers (within their departments), directors and admins may reassign owners.');
/** 403: the new owner's department (the department follows the owner) is not one of the manager's. */
export const movesOutOfDepartments = (what: string) =>
  forbidden(`A manager may move a ${what} only within their departments: the new owner is not in any of them, so the ${what} would leave them. Name one of your departments as departmentId to keep it there, or ask a director.`);

/** 400 naming `departmentId`: no such department in the directory (Keycloak groups under /departments). */
export const unknownDepartment = (departmentId: string) =>
  validationProblem([{ path: 'departmentId', message: `must be a department of the directory; there is no department "${departmentId}"` }], 'The department does not exist; nothing was written.');

/** 400 naming `ownerId`: the new owner is not a CRM user (unknown, disabled, or without a crm-* role). */
export const notACrmUser = (why: string) =>
  validationProblem([{ path: 'ownerId', message: `must be a CRM user: ${why}` }], 'The new owner is not a CRM user; nothing was written.');

/** 503, retryable: the owner or the department changes, and the directory that says who and which exist cannot be read. */
export const directoryUnreachable = (what: 'owner' | 'department' = 'owner') =>
  new ProblemError({
    type: `${PROBLEM_BASE}directory-unavailable`, title: 'Service unavailable', status: 503, headers: { 'retry-after': '10' },
    detail: `The user directory (Keycloak) is not reachable, so ${what === 'owner' ? 'the new owner and their department' : 'the department'} cannot be checked; nothing was written. Try again shortly.`,
  });
