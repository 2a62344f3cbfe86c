import { PROBLEM_BASE } from '@kapocs/contracts';
import { notFound } from '@kapocs/kit';

export const companyNotFound = () => notFound('Company', `${PROBLEM_BASE}company-not-found`);
