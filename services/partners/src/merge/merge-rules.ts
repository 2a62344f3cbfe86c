import type { EmailAddress, PhoneNumber, PostalAddress } from '../companies/company.entity';
import type { MergeInput } from '@kapocs/contracts';

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/**
 * The value the survivor keeps for a field: the one chosen in `fields`, else the survivor's, else (where the
 * survivor has none) the merged record's, so a merge never loses what only one side knew.
 */
export function pick<T>(fields: MergeInput['fields'], key: string, survivor: T, merged: T): T {
  const chosen = fields?.[key];
  if (chosen === 'merged') return merged;
  if (chosen === 'survivor') return survivor;
  return isEmpty(survivor) ? merged : survivor;
}

/** Custom values: the survivor's, plus those only the merged record has, then the chosen `custom.<key>`s. */
export function mergeCustom(fields: MergeInput['fields'], survivor: Record<string, unknown>, merged: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...survivor };
  for (const [k, v] of Object.entries(merged)) if (isEmpty(out[k])) out[k] = v;
  for (const [key, choice] of Object.entries(fields ?? {})) {
    if (!key.startsWith('custom.')) continue;
    const k = key.slice('custom.'.length);
    const v = (choice === 'merged' ? merged : survivor)[k];
    if (isEmpty(v)) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Both lists, the survivor's first, without repeats by the given key. */
function union<T>(survivor: T[], merged: T[], keyOf: (x: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const x of [...survivor, ...merged]) {
    const k = keyOf(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

const norm = (s: string | undefined) => (s ?? '').normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');

export const unionEmails = (a: EmailAddress[], b: EmailAddress[]) => union(a, b, (e) => norm(e.address));
// "+36 1 234 5678" and "+36-1-234-5678" are one number
export const unionPhones = (a: PhoneNumber[], b: PhoneNumber[]) => union(a, b, (p) => p.number.replace(/[^\d+]/g, ''));
export const unionAddresses = (a: PostalAddress[], b: PostalAddress[]) =>
  union(a, b, (x) => [x.kind, x.country, x.postalCode, x.city, x.street].map(norm).join('|'));
