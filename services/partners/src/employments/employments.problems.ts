import { PROBLEM_BASE } from '@kapocs/contracts';
import { notFound, validationProblem } from '@kapocs/kit';

export const employmentNotFound = () => notFound('Employment', `${PROBLEM_BASE}employment-not-found`);
/** The company of an employment must be one the caller may see (missing, deleted or hidden look the same). */
export const unknownCompany = () => validationProblem([{ path: 'companyId', message: 'is not an existing company visible to you' }]);
export const endsBeforeStart = () => validationProblem([{ path: 'to', message: 'must not be before from' }]);
