import { z } from 'zod';

export const DirectoryUserSchema = z.object({
  id: z.string().describe('Keycloak user id, the `sub` of their tokens and the ownerId of their records'),
  username: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  enabled: z.boolean(),
  roles: z.array(z.string()).describe('crm-* realm roles'),
  departments: z.array(z.string()).describe('department ids: group paths under /departments/ without the prefix'),
});
export type DirectoryUser = z.infer<typeof DirectoryUserSchema>;

export const DirectoryQuerySchema = z.object({
  q: z.string().trim().max(200).optional().describe('part of the name or username, accents ignored'),
});

export const DirectoryListSchema = z.object({ items: z.array(DirectoryUserSchema), nextCursor: z.null() });
