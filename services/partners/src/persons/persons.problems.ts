import { PROBLEM_BASE } from '@kapocs/contracts';
import { notFound } from '@kapocs/kit';

export const personNotFound = () => notFound('Person', `${PROBLEM_BASE}person-not-found`);
