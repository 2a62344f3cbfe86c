import type { ServiceApp } from '@kapocs/kit';
import type { Directory } from './directory.service';
import { DirectoryListSchema, DirectoryQuerySchema } from './directory.schemas';

/** `GET /api/directory/users?q=`: who can own, take part in or be assigned records. */
export function registerDirectoryRoutes(app: ServiceApp, directory: Directory): void {
  app.get(
    '/api/directory/users',
    {
      schema: {
        tags: ['gateway'],
        summary: 'The users of the CRM with their roles and departments (from Keycloak)',
        querystring: DirectoryQuerySchema,
        response: { 200: DirectoryListSchema },
      },
    },
    async (request) => ({ items: await directory.users(request.query.q), nextCursor: null }),
  );
}
