import type { CustomFieldRule } from '@kapocs/kit';

export type Language = 'hu' | 'en';

/** A cell as a reader hands it over: text from CSV; text, number, boolean or date from XLSX. */
export type Cell = string | number | boolean | Date | null;

/** One column of an import file, template and export: a built-in field or `custom.<key>`. */
export interface ColumnSpec {
  key: string;
  label: { hu: string; en: string };
  /** Further header spellings that mean this column. */
  aliases?: string[];
  /** The value of the template's example row. */
  example?: Cell;
  /** Only in exports and as an optional import column (e.g. `id`), not in the template. */
  notInTemplate?: boolean;
}

/** Case- and accent-insensitive form of a header: "Adószám" = "adoszam" = "ADÓ-SZÁM". */
export const foldHeader = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/[^a-z0-9.]+/g, '');

/** Accent- and case-folded text, for matching enum values ("Vevő" = "vevo"). */
export const foldValue = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().trim();

/** The columns of custom fields, labelled as the admin named them. */
export function customColumns(rules: CustomFieldRule[]): ColumnSpec[] {
  return rules.map((r) => ({ key: `custom.${r.key}`, label: r.label, aliases: [r.key], example: customExample(r) }));
}

function customExample(r: CustomFieldRule): Cell {
  switch (r.type) {
    case 'integer': return 10;
    case 'date': return '2024-01-31';
    case 'boolean': return 'igen';
    case 'list': return r.options?.[0] ?? '';
    default: return '';
  }
}

export interface ResolvedColumns {
  /** field key per column index; null for an ignored or unknown column */
  fields: (string | null)[];
  headers: string[];
  /** file-level problems: unknown columns, a field given twice */
  errors: { row: 0; column: string; message: string }[];
}

/**
 * Matches the header row to fields: by key, by Hungarian or English label or alias (case and accents
 * ignored); an explicit `mapping` ({ header: field }, null or "" to ignore) wins. Unknown columns are
 * reported once and ignored.
 */
export function resolveColumns(headers: string[], specs: ColumnSpec[], mapping: Record<string, string | null>): ResolvedColumns {
  const byName = new Map<string, string>();
  for (const s of specs) {
    for (const name of [s.key, s.label.hu, s.label.en, ...(s.aliases ?? [])]) {
      const k = foldHeader(name);
      if (k && !byName.has(k)) byName.set(k, s.key);
    }
  }
  const known = new Set(specs.map((s) => s.key));
  const explicit = new Map(Object.entries(mapping).map(([h, f]) => [foldHeader(h), f]));
  const errors: ResolvedColumns['errors'] = [];
  const taken = new Map<string, string>();
  const fields = headers.map((header) => {
    if (!header.trim()) return null;
    const folded = foldHeader(header);
    let field: string | null | undefined;
    if (explicit.has(folded)) {
      field = explicit.get(folded) || null;
      if (field && !known.has(field)) {
        errors.push({ row: 0, column: header, message: `mapping names an unknown field "${field}"` });
        return null;
      }
      if (!field) return null;
    } else field = byName.get(folded);
    if (!field) {
      errors.push({ row: 0, column: header, message: 'unknown column, ignored' });
      return null;
    }
    const first = taken.get(field);
    if (first !== undefined) {
      errors.push({ row: 0, column: header, message: `the same field as column "${first}", ignored` });
      return null;
    }
    taken.set(field, header);
    return field;
  });
  return { fields, headers, errors };
}

/**
 * A cell as trimmed text. Empty means "not given". (A CSV export's formula guard `'=…` is taken off by the CSV
 * reader, `unneutralise`; XLSX cells are read as they are.)
 */
export function cellText(cell: Cell | undefined): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  let s: string;
  if (cell instanceof Date) s = Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  else s = String(cell);
  s = s.trim();
  return s === '' ? undefined : s;
}

const TRUE = new Set(['igen', 'i', 'yes', 'y', 'true', '1', 'x', 'igaz']);
const FALSE = new Set(['nem', 'n', 'no', 'false', '0', 'hamis']);

/** A cell as the JSON value a custom field of this type takes; what cannot be read is passed on as text for the field's own check to name. */
export function customCellValue(rule: CustomFieldRule, cell: Cell | undefined): unknown {
  if (cell instanceof Date && rule.type === 'date') return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number' && rule.type === 'integer') return cell;
  if (typeof cell === 'boolean' && rule.type === 'boolean') return cell;
  const s = cellText(cell);
  if (s === undefined) return undefined;
  switch (rule.type) {
    case 'integer': {
      const compact = s.replace(/[\s\u00a0]/g, '');
      return /^[+-]?\d+$/.test(compact) ? Number(compact) : s;
    }
    case 'boolean': {
      const f = foldValue(s);
      return TRUE.has(f) ? true : FALSE.has(f) ? false : s;
    }
    case 'date': {
      const hu = /^(\d{4})[.\-/ ]+(\d{1,2})[.\-/ ]+(\d{1,2})\.?$/.exec(s);
      return hu ? `${hu[1]}-${hu[2]!.padStart(2, '0')}-${hu[3]!.padStart(2, '0')}` : s;
    }
    case 'list': {
      const f = foldValue(s);
      return rule.options?.find((o) => foldValue(o) === f) ?? s;
    }
    default:
      return s;
  }
}

/** A custom value as a cell of an export. */
export function customCell(rule: CustomFieldRule, value: unknown, lang: Language): Cell {
  if (value === undefined || value === null) return null;
  if (rule.type === 'boolean') return value === true ? (lang === 'hu' ? 'igen' : 'yes') : value === false ? (lang === 'hu' ? 'nem' : 'no') : String(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** `hu` or `en` from Accept-Language (first of the two in the list; Hungarian when neither). */
export function languageOf(acceptLanguage: string | undefined): Language {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().toLowerCase();
    if (tag.startsWith('hu')) return 'hu';
    if (tag.startsWith('en')) return 'en';
  }
  return 'hu';
}

const LABEL_NEEDS_QUOTES = /[:;,"\r\n]/;
const quoteLabel = (label: string) => (LABEL_NEEDS_QUOTES.test(label) ? `"${label.replace(/"/g, '""')}"` : label);

/**
 * E-mails or phones as one cell, labels kept: `value` or `label: value`, separated by `; ` (`iroda: +36 1 234 5678;
 * +36 30 123 4567`). A label with `:`, `;`, `,` or `"` in it is quoted as CSV quotes (`"a; b": …`).
 */
export function labelledListCell<T extends { label?: string | undefined }>(items: readonly T[], value: (item: T) => string): string | null {
  return items.map((i) => (i.label ? `${quoteLabel(i.label)}: ${value(i)}` : value(i))).join('; ') || null;
}

/**
 * Reads what `labelledListCell` writes: items separated by `;`, `,` or line breaks (outside quotes), each
 * `value` or `label: value` (the first `:` outside quotes ends the label; e-mail addresses and phone numbers
 * have none). `spaced`: an item without a label may hold several values separated by spaces (e-mail addresses).
 */
export function readLabelledList(s: string, spaced: boolean): { label?: string; value: string }[] {
  const items: { label?: string; value: string }[] = [];
  let quoted = false;
  let label: string | null = null;
  let buf = '';
  const end = () => {
    const value = buf.trim();
    const name = label === null ? '' : label.trim();
    const unquoted = /^".*"$/s.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;
    if (value) {
      if (label === null && spaced) for (const v of value.split(/\s+/)) items.push({ value: v });
      else items.push({ ...(unquoted ? { label: unquoted } : {}), value });
    }
    label = null;
    buf = '';
  };
  for (const ch of s) {
    if (ch === '"') { quoted = !quoted; buf += ch; continue; }
    if (!quoted && label === null && ch === ':') { label = buf; buf = ''; continue; }
    if (!quoted && (ch === ';' || ch === ',' || ch === '\n' || ch === '\r')) { end(); continue; }
    buf += ch;
  }
  end();
  return items;
}

/**
 * The cells a company row and a person row read alike: e-mails and phones (several in one cell), custom values,
 * the id of the record to update and the owner column.
 */
export function readSharedCells(cells: Map<string, Cell>, rules: CustomFieldRule[], input: Record<string, unknown>, out: { targetId?: string; owner?: string }): void {
  const text = (k: string) => cellText(cells.get(k));
  const email = text('email');
  if (email !== undefined) input.emails = readLabelledList(email, true).map(({ label, value }) => ({ address: value, ...(label ? { label } : {}) }));
  const phone = text('phone');
  if (phone !== undefined) input.phones = readLabelledList(phone, false).map(({ label, value }) => ({ number: value, ...(label ? { label } : {}) }));
  const custom: Record<string, unknown> = {};
  for (const r of rules) {
    if (!cells.has(`custom.${r.key}`)) continue;
    const v = customCellValue(r, cells.get(`custom.${r.key}`));
    if (v !== undefined) custom[r.key] = v;
  }
  if (Object.keys(custom).length) input.custom = custom;
  const id = text('id');
  if (id !== undefined) out.targetId = id;
  const owner = text('owner');
  if (owner !== undefined) out.owner = owner;
}
