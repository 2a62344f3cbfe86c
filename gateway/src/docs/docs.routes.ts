import type { ServiceApp } from '@kapocs/kit';
import type { ApiDocs } from './docs.service';

/** `/api/docs` (and `/api/docs/openapi.json`): the merged OpenAPI document, no token needed. */
export function registerDocsRoutes(app: ServiceApp, docs: ApiDocs): void {
  for (const url of ['/api/docs', '/api/docs/openapi.json']) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return docs.document();
    });
  }
}
