import type { CustomFieldRule } from '@kapocs/kit';
import { cellText, customCell, customColumns, labelledListCell, readSharedCells, foldValue, type Cell, type ColumnSpec, type Language } from '../imports/columns';
import { OWNER_COLUMN } from '../imports/owner-column';
import { COMPANY_KINDS, COMPANY_SIZES, COMPANY_STATUSES, type CompanyDto } from '@kapocs/contracts';

/**
 * The columns of company imports, templates and exports, in order. An export re-imports as it is: its `id`
 * column makes each row an update of that company.
 */
export const COMPANY_COLUMNS: ColumnSpec[] = [
  { key: 'id', label: { hu: 'Azonosító', en: 'ID' }, notInTemplate: true },
  { key: 'name', label: { hu: 'Név', en: 'Name' }, aliases: ['Cégnév', 'Company name', 'Company'], example: 'Kovács és Társa Kft.' },
  { key: 'legalForm', label: { hu: 'Cégforma', en: 'Legal form' }, aliases: ['Társasági forma'], example: 'Kft.' },
  { key: 'kind', label: { hu: 'Típus', en: 'Kind' }, aliases: ['Fajta', 'Type'], example: 'vevő' },
  { key: 'status', label: { hu: 'Állapot', en: 'Status' }, aliases: ['Státusz'], example: 'aktív' },
  { key: 'taxNumber', label: { hu: 'Adószám', en: 'Tax number' }, aliases: ['VAT number', 'Tax ID'], example: '12345676-2-41' },
  { key: 'registrationNumber', label: { hu: 'Cégjegyzékszám', en: 'Registration number' }, aliases: ['Company registration number'], example: '01-09-123456' },
  { key: 'country', label: { hu: 'Ország', en: 'Country' }, example: 'HU' },
  { key: 'industry', label: { hu: 'Iparág', en: 'Industry' }, aliases: ['Ágazat'], example: 'Kereskedelem' },
  { key: 'size', label: { hu: 'Méret', en: 'Size' }, aliases: ['Cégméret'], example: 'kis' },
  { key: 'website', label: { hu: 'Weboldal', en: 'Website' }, aliases: ['Honlap', 'Web'], example: 'https://kovacs.example' },
  { key: 'email', label: { hu: 'E-mail', en: 'E-mail' }, aliases: ['Email', 'emails', 'E-mail cím'], example: 'info@kovacs.example' },
  { key: 'phone', label: { hu: 'Telefon', en: 'Phone' }, aliases: ['Telefonszám', 'phones', 'Phone number'], example: '+36 1 234 5678' },
  { key: 'postalCode', label: { hu: 'Irányítószám', en: 'Postal code' }, aliases: ['Irsz', 'ZIP'], example: '1051' },
  { key: 'city', label: { hu: 'Település', en: 'City' }, aliases: ['Város', 'Helység'], example: 'Budapest' },
  { key: 'street', label: { hu: 'Cím', en: 'Street' }, aliases: ['Utca', 'Utca, házszám', 'Address'], example: 'Fő utca 1.' },
  { key: 'groupId', label: { hu: 'Cégcsoport azonosító', en: 'Company group ID' }, notInTemplate: true },
  { key: 'ownerId', label: { hu: 'Felelős azonosító', en: 'Owner ID' }, notInTemplate: true },
  OWNER_COLUMN,
  { key: 'externalSystem', label: { hu: 'Külső rendszer', en: 'External system' }, notInTemplate: true },
  { key: 'externalId', label: { hu: 'Külső azonosító', en: 'External ID' }, notInTemplate: true },
];

const ENUM_LABELS: Record<string, Record<string, string>> = {
  kind: { vevo: 'customer', erdeklodo: 'prospect', viszontelado: 'reseller', szallito: 'supplier', versenytars: 'competitor', partner: 'partner' },
  status: { aktiv: 'active', inaktiv: 'inactive' },
  size: { mikro: 'micro', kis: 'small', kozepes: 'medium', nagy: 'large', nagyvallalat: 'enterprise', kozepvallalat: 'medium', kisvallalat: 'small', mikrovallalat: 'micro' },
};
const ENUM_VALUES: Record<string, readonly string[]> = { kind: COMPANY_KINDS, status: COMPANY_STATUSES, size: COMPANY_SIZES };
const HU_OF: Record<string, Record<string, string>> = {
  kind: { customer: 'vevő', prospect: 'érdeklődő', reseller: 'viszonteladó', supplier: 'szállító', competitor: 'versenytárs', partner: 'partner' },
  status: { active: 'aktív', inactive: 'inaktív' },
  size: { micro: 'mikro', small: 'kis', medium: 'közepes', large: 'nagy', enterprise: 'nagyvállalat' },
};

function enumValue(field: string, s: string): string {
  const f = foldValue(s);
  if (ENUM_VALUES[field]!.includes(f)) return f;
  return ENUM_LABELS[field]![f] ?? s;
}


/** What a company row of a file says, as the body of a create (only the fields it gives). */
export interface CompanyRowInput {
  input: Record<string, unknown>;
  targetId?: string;
  /** the owner's username or e-mail (the owner column), resolved to ownerId by the import */
  owner?: string;
  externalSystem?: string;
  externalId?: string;
}

/** Turns the cells of one row (by field key) into the API's company input. */
export function companyInputOf(cells: Map<string, Cell>, rules: CustomFieldRule[]): CompanyRowInput {
  const input: Record<string, unknown> = {};
  const out: CompanyRowInput = { input };
  const text = (k: string) => cellText(cells.get(k));
  for (const k of ['name', 'legalForm', 'taxNumber', 'registrationNumber', 'country', 'industry', 'website', 'groupId', 'ownerId']) {
    const v = text(k);
    if (v !== undefined) input[k] = v;
  }
  for (const k of ['kind', 'status', 'size']) {
    const v = text(k);
    if (v !== undefined) input[k] = enumValue(k, v);
  }
  const [postalCode, city, street] = [text('postalCode'), text('city'), text('street')];
  if (postalCode !== undefined || city !== undefined || street !== undefined) {
    input.addresses = [{ kind: 'headquarters', country: String(input.country ?? 'HU').toUpperCase(), postalCode: postalCode ?? '', city: city ?? '', street: street ?? '' }];
  }
  readSharedCells(cells, rules, input, out);
  const sys = text('externalSystem');
  const ext = text('externalId');
  if (sys !== undefined) out.externalSystem = sys;
  if (ext !== undefined) out.externalId = ext;
  return out;
}

/** The column an error path of the company schema is about (`emails.0.address` → email). */
export function companyColumnOfPath(path: string): string {
  const [head, , sub] = path.split('.');
  if (head === 'emails') return 'email';
  if (head === 'phones') return 'phone';
  if (head === 'addresses') return sub === 'postalCode' || sub === 'city' || sub === 'street' ? sub : sub === 'country' ? 'country' : 'city';
  if (head === 'custom') return path.split('.').slice(0, 2).join('.');
  return head ?? path;
}

/** One company as the cells of an export row, in `columns` order; `owners` gives the owner's username by id. */
export function companyCells(c: CompanyDto, columns: ColumnSpec[], rules: Map<string, CustomFieldRule>, lang: Language, owners?: Map<string, string> | null): Cell[] {
  const address = c.addresses[0];
  return columns.map(({ key }) => {
    if (key.startsWith('custom.')) {
      const rule = rules.get(key.slice(7));
      return rule ? customCell(rule, c.custom[rule.key], lang) : null;
    }
    switch (key) {
      case 'kind': case 'status': case 'size': {
        const v = c[key];
        return v ? (lang === 'hu' ? HU_OF[key]![v] ?? v : v) : null;
      }
      case 'email': return labelledListCell(c.emails, (e) => e.address);
      case 'phone': return labelledListCell(c.phones, (p) => p.number);
      case 'postalCode': return address?.postalCode ?? null;
      case 'city': return address?.city ?? null;
      case 'street': return address?.street ?? null;
      case 'externalSystem': case 'externalId': return null;
      case 'owner': return owners?.get(c.ownerId) ?? null;
      default: {
        const v = (c as unknown as Record<string, unknown>)[key];
        return v === undefined || v === null ? null : (v as Cell);
      }
    }
  });
}

/** The columns of a company file for the current custom fields. */
export const companyColumns = (rules: CustomFieldRule[]) => [...COMPANY_COLUMNS, ...customColumns(rules)];
