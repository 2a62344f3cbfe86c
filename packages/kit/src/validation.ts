import { z } from 'zod';
import type { SwaggerTransform } from '@fastify/swagger';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';
import type { FastifySchemaCompiler } from 'fastify';
import { badTextPaths, type FieldError } from '@kapocs/contracts';
import { validationProblem } from './problems';

/** Lets route handlers see the zod-parsed types of body, querystring and params, and type what they answer. */
export type { ZodTypeProvider } from 'fastify-type-provider-zod';

const PART_PREFIX: Record<string, string> = { body: '', querystring: 'query.', params: 'params.', headers: 'headers.' };

/** zod issues as API field errors (dotted paths, body fields unprefixed). */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((i) => ({ path: `${prefix}${i.path.map(String).join('.')}`.replace(/\.$/, '') || prefix.replace(/\.$/, '') || '(body)', message: i.message }));
}

/**
 * The schema's errors and, for every text of the input (values and keys, however deep) holding a NUL or half a
 * surrogate pair, an error naming it: PostgreSQL refuses them in text and jsonb, so such input is a 400 here,
 * never a 500 at the database. For bodies a route checks itself (its own validatorCompiler).
 */
export function checkInput(schema: z.ZodType, data: unknown, prefix = ''): { value: unknown; errors: FieldError[] } {
  const r = schema.safeParse(data);
  const errors = r.success ? [] : fieldErrors(r.error, prefix);
  for (const bad of badTextPaths(data, prefix)) {
    const path = bad.path || '(body)';
    if (!errors.some((e) => e.path === path)) errors.push({ ...bad, path });
  }
  return { value: r.success ? r.data : undefined, errors };
}

/** Parses with a zod schema or throws a 400 problem naming every bad field (text PostgreSQL refuses included). */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.output<S> {
  const { value, errors } = checkInput(schema, data, prefix);
  if (errors.length) throw validationProblem(errors);
  return value as z.output<S>;
}

/**
 * Fastify validator compiler for zod schemas: a failure is our 400 problem with every field. Every route's
 * body, query and params also refuse text with NUL or half a surrogate pair here, whatever their schema says.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => (data) => {
  const { value, errors } = checkInput(schema, data, PART_PREFIX[httpPart ?? 'body'] ?? '');
  return errors.length ? { error: validationProblem(errors) } : { value };
};

/** Schemas for values PostgreSQL is stricter about than JavaScript (dates, times, integers, numerics): in contracts, shared with the portal. */
export { pgValues } from '@kapocs/contracts';

// \p{Cc} (C0 and C1 controls) as a range every JSON Schema regex dialect reads, e.g. Python's re in API fuzzers
const CC = '\\x00-\\x1f\\x7f-\\x9f';

/** A pattern without `\p{…}` classes, which ECMA-262 without the u flag (JSON Schema's dialect) does not know. */
export function portablePattern(pattern: string): string {
  return pattern.replace(/\[([^\]]*)\]|\\p\{Cc\}/g, (_m, inClass: string | undefined) =>
    inClass === undefined ? `[${CC}]` : `[${inClass.replaceAll('\\p{Cc}', CC)}]`);
}

/** Writes every `pattern` of a generated JSON Schema in the portable dialect (`portablePattern`), in place. */
function portablePatterns(json: unknown): unknown {
  if (Array.isArray(json)) json.forEach(portablePatterns);
  else if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'pattern' && typeof v === 'string' && v.includes('\\p{')) o[k] = portablePattern(v);
      else portablePatterns(v);
    }
  }
  return json;
}

const libraryTransform = createJsonSchemaTransform({});

/**
 * The route schemas of the OpenAPI document (`@fastify/swagger`'s `transform`): fastify-type-provider-zod's
 * `jsonSchemaTransform` (requests as what may be sent, responses as what is answered, OpenAPI 3.0's nullable)
 * with every pattern made portable.
 */
export const openApiTransform: SwaggerTransform = (doc) => {
  const out = libraryTransform(doc as never);
  return { ...out, schema: portablePatterns(out.schema) as never };
};

/**
 * Converts a zod schema to JSON Schema for the OpenAPI document as `openApiTransform` does: what a request may
 * send (`io: 'input'`, defaults make fields optional), or what a response holds (`'output'`).
 */
export function zodToOpenApi(schema: unknown, io: 'input' | 'output' = 'input'): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  const route = io === 'input' ? { body: schema } : { response: { 200: schema } };
  const { schema: out } = openApiTransform({ schema: route, url: '/', route: {}, openapiObject: { openapi: '3.0.3' } } as never) as { schema: { body?: unknown; response?: Record<number, unknown> } };
  return io === 'input' ? out.body : out.response?.[200];
}
