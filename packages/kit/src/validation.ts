import { z } from 'zod';
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { FieldError } from '@kapocs/contracts';
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

/** Parses with a zod schema or throws a 400 problem naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw validationProblem(fieldErrors(r.error, prefix));
  return r.data;
}

/** Fastify validator compiler for zod schemas: a failure is our 400 problem with every field. */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => (data) => {
  const r = schema.safeParse(data);
  if (r.success) return { value: r.data };
  return { error: validationProblem(fieldErrors(r.error, PART_PREFIX[httpPart ?? 'body'] ?? '')) };
};

/** Converts zod route schemas to JSON Schema for the OpenAPI document. */
export function zodToOpenApi(schema: unknown): unknown {
  if (schema instanceof z.ZodType) {
    try {
      return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
    } catch {
      return {};
    }
  }
  return schema;
}
