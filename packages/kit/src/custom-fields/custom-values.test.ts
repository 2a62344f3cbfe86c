import { describe, expect, it } from 'vitest';
import { applyCustomValues, customValueError, type CustomFieldRule } from './custom-values';

const rule = (r: Partial<CustomFieldRule> & Pick<CustomFieldRule, 'key' | 'type'>): CustomFieldRule =>
  ({ subtype: null, options: null, required: false, defaultValue: null, label: { hu: r.key, en: r.key }, ...r });

describe('custom values', () => {
  it('checks each type', () => {
    expect(customValueError(rule({ key: 'a', type: 'integer' }), 3)).toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'integer' }), '3')).not.toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'date' }), '2024-02-29')).toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'date' }), '2023-02-29')).not.toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'boolean' }), 'true')).not.toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'list', options: ['x'] }), 'x')).toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'list', options: ['x'] }), 'y')).not.toBeNull();
    expect(customValueError(rule({ key: 'a', type: 'text' }), 'x'.repeat(501))).not.toBeNull();
  });

  it('fills defaults on create only, and keeps an explicit empty value empty', () => {
    const rules = [rule({ key: 'vip', type: 'boolean', defaultValue: false }), rule({ key: 'tier', type: 'text', defaultValue: 'B' })];
    expect(applyCustomValues(rules, {}, { mode: 'create' }).value).toEqual({ vip: false, tier: 'B' });
    expect(applyCustomValues(rules, { tier: null }, { mode: 'create' }).value).toEqual({ vip: false });
    expect(applyCustomValues(rules, {}, { mode: 'patch', existing: { tier: 'A' } }).value).toEqual({ tier: 'A' });
  });

  it('checks required fields on the merged record and only for the record subtype', () => {
    const rules = [rule({ key: 'level', type: 'text', subtype: 'reseller', required: true })];
    expect(applyCustomValues(rules, {}, { mode: 'create', subtype: 'customer' }).errors).toEqual([]);
    expect(applyCustomValues(rules, {}, { mode: 'create', subtype: 'reseller' }).errors.map((e) => e.path)).toEqual(['custom.level']);
    expect(applyCustomValues(rules, {}, { mode: 'patch', subtype: 'reseller', existing: { level: 'x' } }).errors).toEqual([]);
  });
});

describe('custom values PostgreSQL would refuse', () => {
  it('refuses dates of no real day or out of 0001–9999 (lists cast them to date) and text with NUL', () => {
    for (const bad of ['2024-02-30', '0000-01-01', '+010000-01-01', '2023-02-29']) expect(customValueError({ type: 'date', options: null }, bad), bad).not.toBeNull();
    expect(customValueError({ type: 'date', options: null }, '2024-02-29')).toBeNull();
    expect(customValueError({ type: 'text', options: null }, 'a\u0000')).toMatch(/NUL/);
    expect(customValueError({ type: 'integer', options: null }, 2 ** 53)).not.toBeNull();
  });
});
