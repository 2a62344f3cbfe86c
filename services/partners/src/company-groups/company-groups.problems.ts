import { PROBLEM_BASE } from '@kapocs/contracts';
import { conflict, notFound, validationProblem } from '@kapocs/kit';

export const companyGroupNotFound = () => notFound('Company group', `${PROBLEM_BASE}company-group-not-found`);
export const companyGroupHasMembers = () =>
  conflict('The group still has member companies; move them out of the group (set their groupId to null) before deleting it.', `${PROBLEM_BASE}company-group-has-members`);
/** A company's groupId that names no group the caller may use (missing, deleted or not visible look the same). */
export const unknownCompanyGroup = () => validationProblem([{ path: 'groupId', message: 'is not an existing company group visible to you' }]);
