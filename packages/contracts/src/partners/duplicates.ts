import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../lists';
import { cursorPageSchema } from '../schemas';

/** Likely duplicates of partners (P8), `GET /duplicates`, and the pairs users dismissed, `/duplicates/dismissals`. */

export const DUPLICATE_ENTITIES = ['company', 'person'] as const;
export type DuplicateEntity = (typeof DUPLICATE_ENTITIES)[number];

export const DUPLICATE_REASONS = ['taxNumber', 'registrationNumber', 'name', 'email'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export const duplicatesQuerySchema = z.object({
  entity: z.enum(DUPLICATE_ENTITIES),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().max(500).optional(),
});
export type DuplicatesQuery = z.output<typeof duplicatesQuerySchema>;

/** One side of a pair: enough to tell the two apart and open either. */
export const duplicateSideSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  ownerId: z.string(),
  departmentId: z.string().nullable(),
  /** companies */
  taxNumber: z.string().nullable().optional(),
  registrationNumber: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  /** persons */
  familyName: z.string().optional(),
  givenName: z.string().optional(),
  emails: z.array(z.string()).optional(),
});
export type DuplicateSide = z.output<typeof duplicateSideSchema>;

export const duplicatePairSchema = z.object({
  a: duplicateSideSchema,
  b: duplicateSideSchema,
  reasons: z.array(z.enum(DUPLICATE_REASONS)),
  /** 0–1, higher is likelier: a shared tax/registration number or e-mail weighs 0.9, the name 0.8 × its similarity, combined as a noisy-or. */
  score: z.number(),
});
export type DuplicatePair = z.output<typeof duplicatePairSchema>;

export const duplicatesPageSchema = cursorPageSchema(duplicatePairSchema);

const entity = z.enum(DUPLICATE_ENTITIES).describe('What the two records are: company or person.');

/** The two ids must differ; checked once both are strings, so a bad entity and a repeated id are both named. */
const twoRecords = <T extends z.ZodObject<{ aId: z.ZodType<string>; bId: z.ZodType<string> }>>(schema: T) =>
  schema.refine((v) => v.aId.toLowerCase() !== v.bId.toLowerCase(), {
    path: ['bId'], message: 'must differ from aId',
    when: (p) => typeof (p.value as { aId?: unknown })?.aId === 'string' && typeof (p.value as { bId?: unknown })?.bId === 'string',
  });

/** Body of `POST /duplicates/dismissals`. */
export const dismissDuplicateSchema = twoRecords(z.strictObject({
  entity,
  aId: z.uuid().describe('One record of the pair (the order of aId and bId does not matter).'),
  bId: z.uuid().describe('The other record of the pair.'),
}));
export type DismissDuplicateBody = z.input<typeof dismissDuplicateSchema>;
export type DismissDuplicateInput = z.output<typeof dismissDuplicateSchema>;

/** Path of `DELETE /duplicates/dismissals/{entity}/{aId}/{bId}`. */
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

export const dismissalsPageSchema = cursorPageSchema(duplicateDismissalSchema);
