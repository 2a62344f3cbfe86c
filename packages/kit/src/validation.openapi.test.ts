import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { portablePattern, zodToOpenApi } from './validation';

describe('the OpenAPI of zod schemas', () => {
  it('writes \\p{Cc} as a range that regex dialects without Unicode properties read', () => {
    expect(portablePattern('^[^\\p{Cc}\\s](?:[^\\p{Cc}]*[^\\p{Cc}\\s])?$')).toBe('^[^\\x00-\\x1f\\x7f-\\x9f\\s](?:[^\\x00-\\x1f\\x7f-\\x9f]*[^\\x00-\\x1f\\x7f-\\x9f\\s])?$');
    expect(portablePattern('^\\p{Cc}+$')).toBe('^[\\x00-\\x1f\\x7f-\\x9f]+$');
    const re = new RegExp(portablePattern('^[^\\p{Cc}]+$'));
    expect(re.test('Kft. 1')).toBe(true);
    expect(re.test('a\u0007b')).toBe(false);
    expect(re.test('a\u0085b')).toBe(false);
  });

  it('documents what a request may send, and what a response holds', () => {
    const schema = z.object({ kind: z.enum(['a', 'b']).default('a'), n: z.string().transform((s) => s.length) });
    expect(zodToOpenApi(schema)).toMatchObject({ required: ['n'] });
    const out = zodToOpenApi(z.object({ kind: z.enum(['a', 'b']).default('a') }), 'output') as { required: string[] };
    expect(out.required).toEqual(['kind']);
  });
});
