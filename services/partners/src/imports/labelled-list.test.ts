import { describe, expect, it } from 'vitest';
import { labelledListCell, readLabelledList } from './columns';
import { neutralise, unneutralise } from './spreadsheet';

describe('e-mail and phone lists with labels in one cell', () => {
  it('reads back what the export writes, labels with separators and quotes included', () => {
    const items = [{ value: '+36 1 234 5678', label: 'iroda' }, { value: '06 (30) 123-4567' }, { value: '+36 1', label: 'a; b: "c", d' }];
    const cell = labelledListCell(items, (i) => i.value)!;
    expect(cell).toBe('iroda: +36 1 234 5678; 06 (30) 123-4567; "a; b: ""c"", d": +36 1');
    expect(readLabelledList(cell, false)).toEqual(items);
    expect(labelledListCell([], (i: { value: string }) => i.value)).toBeNull();
  });

  it('still reads plain lists separated by commas, semicolons, line breaks (and, for e-mails, spaces)', () => {
    expect(readLabelledList('a@x.hu, b@x.hu c@x.hu;d@x.hu', true).map((i) => i.value)).toEqual(['a@x.hu', 'b@x.hu', 'c@x.hu', 'd@x.hu']);
    expect(readLabelledList('+36 1 234 5678\n06 30 123 4567', false)).toEqual([{ value: '+36 1 234 5678' }, { value: '06 30 123 4567' }]);
    expect(readLabelledList('munka: a@x.hu, : b@x.hu', true)).toEqual([{ label: 'munka', value: 'a@x.hu' }, { value: 'b@x.hu' }]);
  });
});

describe('the CSV formula guard', () => {
  it('takes off exactly the apostrophe it put on', () => {
    for (const v of ['=1+1', '+36 1', "'=SUM(A1)", "''-x", "'plain", 'plain', '@x']) {
      const written = neutralise(v) as string;
      expect(/^[=+\-@]/.test(written)).toBe(false);
      expect(unneutralise(written)).toBe(v);
    }
  });
});
