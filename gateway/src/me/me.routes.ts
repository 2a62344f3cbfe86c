import { z } from 'zod';
import type { ServiceApp } from '@kapocs/kit';

export const MeSchema = z.object({
  id: z.string().describe('Keycloak subject'),
  username: z.string(),
  name: z.string(),
  roles: z.array(z.string()).describe('crm-* realm roles'),
  departments: z.array(z.string()).describe('department ids, e.g. "north"'),
});

/** `GET /api/me`: the caller as the verified token describes them. */
export function registerMeRoutes(app: ServiceApp): void {
  app.get(
    '/api/me',
    { schema: { tags: ['gateway'], summary: 'The signed-in user: id, name, roles, departments', response: { 200: MeSchema } } },
    async (request) => {
      const { id, username, name, roles, departments } = request.principal;
      return { id, username, name, roles, departments };
    },
  );
}
