import { z } from 'zod';
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { badTextPaths, type FieldError } from '@kapocs/contracts';
import { validationProblem } from './problems';

/** Lets route handlers see the zod-parsed types of body, querystring and params. */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

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

/**
 * Converts zod route schemas to JSON Schema for the OpenAPI document: what a request may send (`io: 'input'`,
 * defaults make fields optional), or what a response holds (`'output'`).
 */
export function zodToOpenApi(schema: unknown, io: 'input' | 'output' = 'input'): unknown {
  if (schema instanceof z.ZodType) {
    try {
      return z.toJSONSchema(schema, {
        target: 'openapi-3.0',
        io,
        unrepresentable: 'any',
        override: ({ jsonSchema }) => {
          if (typeof jsonSchema.pattern === 'string' && jsonSchema.pattern.includes('\\p{')) jsonSchema.pattern = portablePattern(jsonSchema.pattern);
        },
      });
    } catch {
      return {};
    }
  }
  return schema;
}
