import { Transform, type Readable } from 'node:stream';

/** One BODY_LIMITS rule: requests (of one method, or any) under a path prefix take at most `bytes` (null: no limit). */
interface Rule {
  method: string | null;
  prefix: string;
  bytes: number | null;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `16mb`, `512kb`, `1048576` or `none`; binary units, as Fastify's bodyLimit and the services count. */
export function parseSize(text: string, variable: string): number | null {
  const v = text.trim().toLowerCase();
  if (v === 'none') return null;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/.exec(v);
  if (!m) throw new Error(`${variable}: "${text}" is not a size (e.g. 1mb, 512kb, 1048576 or none)`);
  return Math.floor(Number(m[1]) * UNITS[m[2] ?? '']!);
}

/** Parses `[METHOD ]<prefix>=<size>, …`; a bad rule fails the start naming the variable. */
export function parseRules(text: string, variable = 'BODY_LIMITS'): Rule[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((rule) => {
      const m = /^(?:([A-Za-z]+)\s+)?(\/\S*)\s*=\s*(\S+)$/.exec(rule);
      if (!m) throw new Error(`${variable}: "${rule}" is not [METHOD ]/path/prefix=size`);
      return { method: m[1]?.toUpperCase() ?? null, prefix: m[2]!, bytes: parseSize(m[3]!, variable) };
    });
}

const under = (path: string, prefix: string) =>
  prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);

/**
 * The largest body a request may send through the gateway: the most specific rule (longest prefix; a rule
 * naming the method before one that does not), else the default. null: no limit.
 */
export function bodyLimitsOf(defaultLimit: string, rules: string): (method: string, url: string) => number | null {
  const fallback = parseSize(defaultLimit, 'BODY_LIMIT');
  const sorted = parseRules(rules).sort((a, b) => b.prefix.length - a.prefix.length || Number(b.method !== null) - Number(a.method !== null));
  return (method, url) => {
    const path = url.split('?', 1)[0]!;
    const rule = sorted.find((r) => (r.method === null || r.method === method) && under(path, r.prefix));
    return rule ? rule.bytes : fallback;
  };
}

/** Sizes as people read them: 16 MiB, 512 KiB, 100 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * The client's body as the stream the upstream request reads: counted against `limit` (null: none), failing with
 * `tooLarge()` before the chunk that crosses it is forwarded. The client's request is never destroyed from the
 * upstream side (undici destroys its body stream when the upstream refuses the connection, which would reset the
 * client's connection before it gets our 503): when this stream ends early, the rest of the client's body is read
 * and dropped, so the connection stays readable and the client receives the answer.
 */
export function forwardedBody(payload: Readable, limit: number | null, tooLarge: () => Error): Readable {
  let seen = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (limit !== null && seen > limit) callback(tooLarge());
      else callback(null, chunk);
    },
  });
  out.on('error', () => undefined); // reported through the upstream request that reads it
  out.on('close', () => {
    if (payload.readableEnded) return;
    payload.unpipe(out);
    payload.resume();
  });
  // pipe() forwards no errors: a client that aborts must end the upstream request too
  payload.on('error', (err) => out.destroy(err));
  payload.on('close', () => {
    if (!payload.readableEnded) out.destroy(new Error('the client aborted the request body'));
  });
  return payload.pipe(out);
}
