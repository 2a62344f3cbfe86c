import { z } from 'zod';

/** Keys every service reads. */
export const baseConfigShape = {
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535),
  DATABASE_URL: z.string().url(),
  NATS_URL: z.string(),
  OIDC_ISSUER: z.string().url(),
  OIDC_JWKS_URL: z.string().url(),
  OIDC_AUDIENCE: z.string().default('crm-api'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OUTBOX_RELAY: z.enum(['on', 'off']).default('on'),
  CONSUMERS: z.enum(['on', 'off']).default('on'),
  /** Signs list cursors; every replica of a service shares it. Unset, the key is derived from DATABASE_URL. */
  CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};

/**
 * Parses the environment against a zod object once and freezes the result. A missing or bad key
 * fails at start with its name, so a misconfigured pod dies in its first second, not at first use.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: Record<string, string | undefined> = process.env): Readonly<z.infer<z.ZodObject<S>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${env[String(i.path[0])] === undefined ? 'missing' : i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(result.data);
}

export type BaseConfig = Readonly<z.infer<z.ZodObject<typeof baseConfigShape>>>;
