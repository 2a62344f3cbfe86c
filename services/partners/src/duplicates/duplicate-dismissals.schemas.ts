import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '@kapocs/contracts';
import { duplicateSideSchema } from './duplicates.schemas';

const entity = z.enum(['company', 'person']).describe('What the two records are: company or person.');

/** The two ids must differ; checked once both are strings, so a bad entity and a repeated id are both named. */
const twoRecords = <T extends z.ZodObject<{ aId: z.ZodType<string>; bId: z.ZodType<string> }>>(schema: T) =>
  schema.refine((v) => v.aId.toLowerCase() !== v.bId.toLowerCase(), {
    path: ['bId'], message: 'must differ from aId',
    when: (p) => typeof (p.value as { aId?: unknown })?.aId === 'string' && typeof (p.value as { bId?: unknown })?.bId === 'string',
  });

export const dismissDuplicateSchema = twoRecords(z.strictObject({
  entity,
  aId: z.uuid().describe('One record of the pair (the order of aId and bId does not matter).'),
  bId: z.uuid().describe('The other record of the pair.'),
}));
export type DismissDuplicateInput = z.output<typeof dismissDuplicateSchema>;

export const dismissalParamsSchema = twoRecords(z.object({ entity, aId: z.uuid(), bId: z.uuid() }));
export type DismissalParams = z.output<typeof dismissalParamsSchema>;

export const dismissalsQuerySchema = z.object({
  entity,
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().max(500).optional(),
});
export type DismissalsQuery = z.output<typeof dismissalsQuerySchema>;

/** "These two are not duplicates": the pair stays out of GET /duplicates until the dismissal is undone. */
export const duplicateDismissalSchema = z.object({
  entity,
  aId: z.uuid().describe('The smaller id of the two: a pair is kept in order, whichever way it was sent.'),
  bId: z.uuid().describe('The larger id of the two.'),
  a: duplicateSideSchema.describe('The record aId, as the duplicates list shows it.'),
  b: duplicateSideSchema.describe('The record bId.'),
  dismissedBy: z.string().describe('The user who dismissed the pair (the first one: a repeat changes neither who nor when).'),
  dismissedAt: z.string().describe('When the pair was dismissed (ISO-8601).'),
});
export type DuplicateDismissal = z.output<typeof duplicateDismissalSchema>;

export const dismissalsPageSchema = z.object({ items: z.array(duplicateDismissalSchema), nextCursor: z.string().nullable() });
