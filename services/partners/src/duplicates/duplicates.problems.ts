import { PROBLEM_BASE } from '@kapocs/contracts';
import { notFound, ProblemError } from '@kapocs/kit';

/** 404 when either record of a pair is missing, deleted or not visible to the caller (the list shows neither). */
export const pairNotVisible = (entity: 'company' | 'person') =>
  new ProblemError({
    type: `${PROBLEM_BASE}${entity}-not-found`, title: `${entity === 'company' ? 'Company' : 'Person'} not found`, status: 404,
    detail: `One of the two ${entity === 'company' ? 'companies' : 'persons'} does not exist or is not visible to you.`,
  });

export const dismissalNotFound = () => notFound('Duplicate dismissal', `${PROBLEM_BASE}duplicate-dismissal-not-found`);
