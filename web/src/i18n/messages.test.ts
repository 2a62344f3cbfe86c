import { describe, expect, it, vi } from 'vitest';
import { en } from './en';
import { hu, type MessageKey } from './hu';
import { compileMessage, LOCALES, translate, type Locale, type TranslateParams } from './messages';

// The element types of @formatjs/icu-messageformat-parser's AST that carry an argument.
const ARGUMENT = 1;
const NUMBER = 2;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;
interface Element {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}

/** Every argument of a message with its kind: `text`, `number` (a number or a plural) or `select`. */
function argumentsOf(source: string, locale: Locale): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (elements: Element[]) => {
    for (const el of elements) {
      if (el.type === ARGUMENT) found.set(el.value!, found.get(el.value!) ?? 'text');
      if (el.type === NUMBER || el.type === PLURAL) found.set(el.value!, 'number');
      if (el.type === SELECT) found.set(el.value!, 'select');
      for (const option of Object.values(el.options ?? {})) walk(option.value);
      if (el.type === TAG) walk(el.children ?? []);
    }
  };
  walk(compileMessage(source, locale).getAst() as unknown as Element[]);
  return found;
}

function hasPlural(source: string, locale: Locale): boolean {
  const walk = (elements: Element[]): boolean =>
    elements.some((el) => el.type === PLURAL || Object.values(el.options ?? {}).some((o) => walk(o.value)));
  return walk(compileMessage(source, locale).getAst() as unknown as Element[]);
}

const catalogues = { hu, en } as Record<Locale, Record<string, string>>;
const keys = Object.keys(hu) as MessageKey[];

// Each message with a plural, formatted for 0, 1 and 2 of its count(s).
const plurals: Record<string, { params: [TranslateParams, TranslateParams, TranslateParams]; hu: string[]; en: string[] }> = {
  'list.selected': {
    params: [{ count: 0 }, { count: 1 }, { count: 2 }],
    hu: ['Nincs kijelölés', '1 kijelölve', '2 kijelölve'],
    en: ['None selected', '1 selected', '2 selected'],
  },
  'owners.reassign.body': {
    params: [{ count: 0 }, { count: 1 }, { count: 2 }],
    hu: ['A kijelölt 0 rekord új felelőse:', 'A kijelölt rekord új felelőse:', 'A kijelölt 2 rekord új felelőse:'],
    en: ['New owner of the 0 selected records:', 'New owner of the selected record:', 'New owner of the 2 selected records:'],
  },
  'owners.reassign.done': {
    params: [
      { updated: 0, unchanged: 1, notFound: 0 },
      { updated: 1, unchanged: 0, notFound: 0 },
      { updated: 2, unchanged: 0, notFound: 1 },
    ],
    hu: [
      'Átadva: egy rekord sem; változatlan: 1; nem található: 0.',
      'Átadva: 1 rekord; változatlan: 0; nem található: 0.',
      'Átadva: 2 rekord; változatlan: 0; nem található: 1.',
    ],
    en: [
      'Reassigned: no records; unchanged: 1; not found: 0.',
      'Reassigned: 1 record; unchanged: 0; not found: 0.',
      'Reassigned: 2 records; unchanged: 0; not found: 1.',
    ],
  },
  'validation.tooLong': {
    params: [{ max: 0 }, { max: 1 }, { max: 2 }],
    hu: ['Legfeljebb 0 karakter lehet.', 'Legfeljebb 1 karakter lehet.', 'Legfeljebb 2 karakter lehet.'],
    en: ['At most 0 characters.', 'At most 1 character.', 'At most 2 characters.'],
  },
  'customField.validation.tooLong': {
    params: [{ max: 0 }, { max: 1 }, { max: 2 }],
    hu: ['Legfeljebb 0 karakter lehet.', 'Legfeljebb 1 karakter lehet.', 'Legfeljebb 2 karakter lehet.'],
    en: ['At most 0 characters.', 'At most 1 character.', 'At most 2 characters.'],
  },
  'merge.employmentsCombined': {
    params: [{ count: 0 }, { count: 1 }, { count: 2 }],
    hu: [
      'Nem kellett munkahelyeket egyesíteni.',
      'Ugyanannál a cégnél átfedő munkahelyekből egyesítve: 1 munkahely.',
      'Ugyanannál a cégnél átfedő munkahelyekből egyesítve: 2 munkahely.',
    ],
    en: [
      'No employments needed combining.',
      'Overlapping employments at the same company combined into 1 employment.',
      'Overlapping employments at the same company combined into 2 employments.',
    ],
  },
  'import.progress': {
    params: [
      { processed: 0, rows: 0 },
      { processed: 1, rows: 1 },
      { processed: 1, rows: 2 },
    ],
    hu: ['0 / 0 sor', '1 / 1 sor', '1 / 2 sor'],
    en: ['0 / 0 rows', '1 / 1 row', '1 / 2 rows'],
  },
  'import.readRows': {
    params: [{ count: 0 }, { count: 1 }, { count: 2 }],
    hu: ['Még nincs beolvasott sor', '1 sor beolvasva', '2 sor beolvasva'],
    en: ['No rows read yet', '1 row read', '2 rows read'],
  },
  'import.commitReady': {
    params: [{ valid: 0 }, { valid: 1 }, { valid: 2 }],
    hu: ['Minden sor rendben: nincs importálható rekord.', 'Minden sor rendben: 1 rekord importálható.', 'Minden sor rendben: 2 rekord importálható.'],
    en: ['Every row is fine: no records to import.', 'Every row is fine: 1 record can be imported.', 'Every row is fine: 2 records can be imported.'],
  },
  'import.commitWithErrors': {
    params: [
      { valid: 0, errors: 2 },
      { valid: 1, errors: 1 },
      { valid: 2, errors: 2 },
    ],
    hu: [
      'Egy sor sem importálható; a hibás sorok kimaradnak (2 hiba). Javíthatja a fájlt és feltöltheti újra.',
      '1 sor importálható; a hibás sor kimarad. Javíthatja a fájlt és feltöltheti újra.',
      '2 sor importálható; a hibás sorok kimaradnak (2 hiba). Javíthatja a fájlt és feltöltheti újra.',
    ],
    en: [
      'No rows can be imported; the rows with the 2 errors are left out. You may fix the file and upload it again.',
      '1 row can be imported; the row with the error is left out. You may fix the file and upload it again.',
      '2 rows can be imported; the rows with the 2 errors are left out. You may fix the file and upload it again.',
    ],
  },
  'import.commit': {
    params: [{ count: 0 }, { count: 1 }, { count: 2 }],
    hu: ['Importálás (0 sor)', 'Importálás (1 sor)', 'Importálás (2 sor)'],
    en: ['Import (0 rows)', 'Import (1 row)', 'Import (2 rows)'],
  },
  'import.undoneBody': {
    params: [{ count: 0 }, { count: 1 }, { count: 2 }],
    hu: ['Egy rekord sem lett visszavonva.', '1 rekord visszavonva.', '2 rekord visszavonva.'],
    en: ['No records undone.', '1 record undone.', '2 records undone.'],
  },
};

describe('portal messages (web/src/i18n)', () => {
  it('the Hungarian and English catalogues have the same keys, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(hu).sort());
    for (const locale of LOCALES) {
      for (const key of keys) expect(catalogues[locale][key]?.trim(), `${locale} ${key}`).toBeTruthy();
    }
  });

  it('every message parses as ICU in both languages, with the same arguments of the same kind', () => {
    for (const key of keys) {
      const [huArgs, enArgs] = LOCALES.map((locale) => {
        try {
          return argumentsOf(catalogues[locale][key]!, locale);
        } catch (error) {
          throw new Error(`${locale} ${key} is no valid ICU message: ${String(error)}`);
        }
      });
      expect(Object.fromEntries(enArgs!), `arguments of ${key}`).toEqual(Object.fromEntries(huArgs!));
    }
  });

  it('a message without arguments reads exactly as written (no ICU quoting eats an apostrophe)', () => {
    for (const locale of LOCALES) {
      for (const key of keys) {
        const source = catalogues[locale][key]!;
        if (argumentsOf(source, locale).size === 0) expect(translate(locale, key), `${locale} ${key}`).toBe(source);
      }
    }
  });

  it('every message with a plural in either language is formatted below for 0, 1 and 2', () => {
    const withPlural = keys.filter((key) => LOCALES.some((locale) => hasPlural(catalogues[locale][key]!, locale)));
    expect(withPlural.sort()).toEqual(Object.keys(plurals).sort());
  });

  for (const [key, { params, ...expected }] of Object.entries(plurals)) {
    it(`${key} takes the plural form for 0, 1 and 2 in Hungarian and English`, () => {
      for (const locale of LOCALES) {
        expect(params.map((p) => translate(locale, key as MessageKey, p))).toEqual(expected[locale]);
      }
    });
  }

  it('formats counts in the locale: grouping digits, Hungarian with a non-breaking space', () => {
    expect(translate('en', 'import.commit', { count: 20_000 })).toBe('Import (20,000 rows)');
    expect(translate('hu', 'import.commit', { count: 20_000 })).toBe('Importálás (20\u00a0000 sor)');
    expect(translate('hu', 'companies.total', { count: 1234 })).toBe('Összesen: 1234');
  });

  it('keeps literal angle brackets, and shows the raw message rather than failing when an argument is missing', () => {
    expect(translate('en', 'customField.keyHelp')).toContain('custom.<key>');
    expect(translate('en', 'company.form.saved', { name: 'Alfa Kft.' })).toBe('“Alfa Kft.” saved.');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(translate('en', 'company.form.saved')).toBe('“{name}” saved.');
      expect(logged).toHaveBeenCalledOnce();
    } finally {
      logged.mockRestore();
    }
  });
});
