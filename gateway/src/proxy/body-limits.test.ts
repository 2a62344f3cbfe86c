import { describe, expect, it } from 'vitest';
import { bodyLimitsOf, formatSize, parseSize } from './body-limits';

describe('body limits', () => {
  it('reads sizes in binary units, a byte count or none, and refuses anything else naming the variable', () => {
    expect(parseSize('1mb', 'X')).toBe(1024 * 1024);
    expect(parseSize('512KB', 'X')).toBe(512 * 1024);
    expect(parseSize('1048576', 'X')).toBe(1048576);
    expect(parseSize('none', 'X')).toBeNull();
    expect(() => parseSize('lots', 'BODY_LIMIT')).toThrow(/BODY_LIMIT: "lots" is not a size/);
  });

  it('the longest prefix wins, a rule with the method before one without, otherwise the default', () => {
    const limit = bodyLimitsOf('1mb', '/api/partners/imports=51mb, POST /api/partners/external/=16mb, /api/documents=none');
    expect(limit('POST', '/api/partners/companies')).toBe(1024 ** 2);
    expect(limit('POST', '/api/partners/imports?dryRun=true')).toBe(51 * 1024 ** 2);
    expect(limit('POST', '/api/partners/imports/123/commit')).toBe(51 * 1024 ** 2);
    // a prefix without a trailing slash is a whole segment
    expect(limit('POST', '/api/partners/importsx')).toBe(1024 ** 2);
    expect(limit('POST', '/api/partners/external/erp/companies')).toBe(16 * 1024 ** 2);
    expect(limit('PUT', '/api/partners/external/erp/companies/x1')).toBe(1024 ** 2);
    expect(limit('PUT', '/api/documents/documents/1/content')).toBeNull();
  });

  it('a malformed rule fails naming BODY_LIMITS', () => {
    expect(() => bodyLimitsOf('1mb', 'api/partners=2mb')).toThrow(/BODY_LIMITS: "api\/partners=2mb"/);
    expect(() => bodyLimitsOf('1mb', '/api/partners=big')).toThrow(/BODY_LIMITS: "big" is not a size/);
  });

  it('formats limits as people read them', () => {
    expect(formatSize(16 * 1024 ** 2)).toBe('16 MiB');
    expect(formatSize(2048)).toBe('2 KiB');
    expect(formatSize(1000)).toBe('1000 bytes');
  });
});
