import { ProblemTypes, type FieldError } from '@kapocs/contracts';
import { forbidden, ProblemError } from '@kapocs/kit';

export const integrationsOnly = () =>
  forbidden('Sync from another system is for integration users: crm-admin or crm-director (use a service user with one of those roles).');

export const tooManyItems = (max: number, got: number) =>
  new ProblemError({
    type: ProblemTypes.payloadTooLarge, title: 'Too many items', status: 413,
    detail: `A bulk upsert takes at most ${max} items; this one has ${got}. Split it into several requests.`,
    errors: [{ path: 'items', message: `at most ${max} items` }],
  });

export const duplicateInBatch = (): FieldError => ({ path: 'externalId', message: 'appears more than once in this batch' });
