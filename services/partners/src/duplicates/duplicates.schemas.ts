import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT } from '@kapocs/contracts';

export const DUPLICATE_REASONS = ['taxNumber', 'registrationNumber', 'name', 'email'] as const;

export const duplicatesQuerySchema = z.object({
  entity: z.enum(['company', 'person']),
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

export const duplicatesPageSchema = z.object({ items: z.array(duplicatePairSchema), nextCursor: z.string().nullable() });
