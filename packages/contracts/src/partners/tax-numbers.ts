/**
 * Hungarian company identifiers. Adószám: `12345678-1-12` — an 8-digit base whose last digit checks the
 * first seven (weights 9, 7, 3, 1, 9, 7, 3), a VAT code 1–5 and a county code. Cégjegyzékszám:
 * `01-09-123456` — court (01–20), company form, serial.
 */
const TAX_RE = /^(\d{8})-?([1-5])-?(\d{2})$/;
const COUNTIES = new Set(['02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '22', '27', '41', '42', '43', '44', '51']);
const WEIGHTS = [9, 7, 3, 1, 9, 7, 3];

/** Answers why a Hungarian tax number is wrong, or null when it is valid. */
export function hungarianTaxNumberError(value: string): string | null {
  const m = TAX_RE.exec(value.trim());
  if (!m) return 'must look like 12345678-1-12';
  const base = m[1]!;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(base[i]), 0);
  if ((10 - (sum % 10)) % 10 !== Number(base[7])) return 'check digit (8th) does not match';
  if (!COUNTIES.has(m[3]!)) return `county code ${m[3]} does not exist`;
  return null;
}

/** The canonical form `12345678-1-12`. */
export const normalizeHungarianTaxNumber = (value: string) => value.trim().replace(TAX_RE, '$1-$2-$3');

const REG_RE = /^(0[1-9]|1\d|20)-(\d{2})-(\d{6})$/;

export function hungarianRegistrationNumberError(value: string): string | null {
  return REG_RE.test(value.trim()) ? null : 'must look like 01-09-123456 (court 01–20, form, 6-digit serial)';
}
