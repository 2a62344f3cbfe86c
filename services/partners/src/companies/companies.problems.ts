import { PROBLEM_BASE } from '@kapocs/contracts';
import { forbidden, notFound } from '@kapocs/kit';

export const companyNotFound = () => notFound('Company', `${PROBLEM_BASE}company-not-found`);
export const cannotAssignOwner = () => forbidden('Only managers, directors and admins may make someone else the owner of a company.');
