import { p } from '@mikro-orm/core';
import { uuidv7 } from 'uuidv7';

/**
 * The properties every owned record's entity has besides its own: owner, department, optimistic-lock version,
 * timestamps and the soft delete (columns `owner_id`, `department_id`, `version`, `created_at`, `updated_at`,
 * `deleted_at`). Spread them into `defineEntity`'s properties.
 */
export const ownedProperties = () => ({
  ownerId: p.string().length(64),
  departmentId: p.string().length(100).nullable(),
  version: p.integer().version(),
  createdAt: p.datetime(),
  updatedAt: p.datetime(),
  deletedAt: p.datetime().nullable(),
});

/** What a new owned record is stamped with: a new id (uuidv7, so its event can carry it), its owner and department, its times. */
export const newOwnedRow = (owner: { ownerId: string; departmentId: string | null }, now = new Date()) => ({
  id: uuidv7(), ...owner, createdAt: now, updatedAt: now, deletedAt: null,
});
