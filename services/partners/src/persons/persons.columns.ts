import type { CustomFieldRule } from '@kapocs/kit';
import { cellText, customCell, customColumns, labelledListCell, readSharedCells, type Cell, type ColumnSpec, type Language } from '../imports/columns';
import { OWNER_COLUMN } from '../imports/owner-column';
import type { PersonDto } from '@kapocs/contracts';

/** The columns of person imports, templates and exports, in order. */
export const PERSON_COLUMNS: ColumnSpec[] = [
  { key: 'id', label: { hu: 'Azonosító', en: 'ID' }, notInTemplate: true },
  { key: 'familyName', label: { hu: 'Vezetéknév', en: 'Family name' }, aliases: ['Családnév', 'Last name', 'Surname'], example: 'Kovács' },
  { key: 'givenName', label: { hu: 'Keresztnév', en: 'Given name' }, aliases: ['Utónév', 'First name'], example: 'Éva' },
  { key: 'title', label: { hu: 'Titulus', en: 'Title' }, aliases: ['Előtag'], example: 'dr.' },
  { key: 'position', label: { hu: 'Beosztás', en: 'Position' }, aliases: ['Pozíció', 'Job title'], example: 'beszerzési vezető' },
  { key: 'email', label: { hu: 'E-mail', en: 'E-mail' }, aliases: ['Email', 'emails', 'E-mail cím'], example: 'kovacs.eva@kovacs.example' },
  { key: 'phone', label: { hu: 'Telefon', en: 'Phone' }, aliases: ['Telefonszám', 'Mobil', 'phones'], example: '+36 30 123 4567' },
  { key: 'companyId', label: { hu: 'Cég azonosító', en: 'Company ID' }, notInTemplate: true },
  { key: 'companyTaxNumber', label: { hu: 'Cég adószáma', en: 'Company tax number' }, example: '12345676-2-41' },
  { key: 'role', label: { hu: 'Munkakör', en: 'Role' }, aliases: ['Szerep'], example: 'beszerző' },
  { key: 'ownerId', label: { hu: 'Felelős azonosító', en: 'Owner ID' }, notInTemplate: true },
  OWNER_COLUMN,
];


export interface PersonRowInput {
  input: Record<string, unknown>;
  targetId?: string;
  /** the owner's username or e-mail (the owner column), resolved to ownerId by the import */
  owner?: string;
  company?: { id?: string; taxNumber?: string; role?: string };
}

/** Turns the cells of one row (by field key) into the API's person input and the company it names. */
export function personInputOf(cells: Map<string, Cell>, rules: CustomFieldRule[]): PersonRowInput {
  const input: Record<string, unknown> = {};
  const out: PersonRowInput = { input };
  const text = (k: string) => cellText(cells.get(k));
  for (const k of ['familyName', 'givenName', 'title', 'position', 'ownerId']) {
    const v = text(k);
    if (v !== undefined) input[k] = v;
  }
  readSharedCells(cells, rules, input, out);
  const [companyId, taxNumber, role] = [text('companyId'), text('companyTaxNumber'), text('role')];
  if (companyId !== undefined || taxNumber !== undefined) out.company = { ...(companyId ? { id: companyId } : {}), ...(taxNumber ? { taxNumber } : {}), ...(role ? { role } : {}) };
  return out;
}

/** The column an error path of the person schema is about. */
export function personColumnOfPath(path: string): string {
  const [head] = path.split('.');
  if (head === 'emails') return 'email';
  if (head === 'phones') return 'phone';
  if (head === 'custom') return path.split('.').slice(0, 2).join('.');
  return head ?? path;
}

/** One person as the cells of an export row; the company is the primary current employer; `owners` gives the owner's username by id. */
export function personCells(p: PersonDto, columns: ColumnSpec[], rules: Map<string, CustomFieldRule>, lang: Language, owners?: Map<string, string> | null): Cell[] {
  const employment = p.employments.find((e) => e.primary && !e.to) ?? p.employments.find((e) => !e.to);
  return columns.map(({ key }) => {
    if (key.startsWith('custom.')) {
      const rule = rules.get(key.slice(7));
      return rule ? customCell(rule, p.custom[rule.key], lang) : null;
    }
    switch (key) {
      case 'email': return labelledListCell(p.emails, (e) => e.address);
      case 'phone': return labelledListCell(p.phones, (x) => x.number);
      case 'companyId': return employment?.companyId ?? null;
      case 'role': return employment?.role ?? null;
      case 'companyTaxNumber': return null;
      case 'owner': return owners?.get(p.ownerId) ?? null;
      default: {
        const v = (p as unknown as Record<string, unknown>)[key];
        return v === undefined || v === null ? null : (v as Cell);
      }
    }
  });
}

export const personColumns = (rules: CustomFieldRule[]) => [...PERSON_COLUMNS, ...customColumns(rules)];
