import { describe, expect, it } from 'vitest';
import { hungarianRegistrationNumberError, hungarianTaxNumberError, normalizeHungarianTaxNumber } from './tax-numbers';

describe('Hungarian tax number (adószám)', () => {
  it('accepts a number whose 8th digit checks the first seven', () => {
    // 1234567: 9*1+7*2+3*3+1*4+9*5+7*6+3*7 = 144 → check digit 6
    expect(hungarianTaxNumberError('12345676-2-41')).toBeNull();
    expect(hungarianTaxNumberError('12345676241')).toBeNull();
  });
  it('names what is wrong', () => {
    expect(hungarianTaxNumberError('12345678-2-41')).toMatch(/check digit/);
    expect(hungarianTaxNumberError('12345676-7-41')).toMatch(/12345678-1-12/);
    expect(hungarianTaxNumberError('12345676-2-99')).toMatch(/county/);
    expect(hungarianTaxNumberError('abc')).toMatch(/12345678-1-12/);
  });
  it('normalises to 12345678-1-12', () => {
    expect(normalizeHungarianTaxNumber('12345676241')).toBe('12345676-2-41');
  });
});

describe('Hungarian company registration number (cégjegyzékszám)', () => {
  it('accepts court-form-serial and refuses the rest', () => {
    expect(hungarianRegistrationNumberError('01-09-123456')).toBeNull();
    expect(hungarianRegistrationNumberError('21-09-123456')).not.toBeNull();
    expect(hungarianRegistrationNumberError('01-09-12345')).not.toBeNull();
  });
});
