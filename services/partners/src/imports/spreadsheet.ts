import { PassThrough, Readable, type Writable } from 'node:stream';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Cell } from './columns';

export type { ImportFileFormat as FileFormat, ImportTextEncoding as TextEncoding } from '@kapocs/contracts';
import type { ImportFileFormat as FileFormat, ImportTextEncoding as TextEncoding } from '@kapocs/contracts';

const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const HEAD_BYTES = 64 * 1024;

export interface SniffResult {
  format: FileFormat | null;
  encoding: TextEncoding | null;
  delimiter: string | null;
  /** why the file is neither CSV nor XLSX */
  reason?: string;
}

/**
 * Looks at an upload as it streams past, without keeping it: the first 64 KB, whether it is valid UTF-8
 * throughout, and (for a zip) whether any entry is under `xl/`. The name and content type the client sent
 * are not trusted; only the bytes are.
 */
export class UploadSniffer {
  private head = Buffer.alloc(0);
  private utf8 = new TextDecoder('utf-8', { fatal: true });
  private utf8Valid = true;
  private zip: boolean | null = null;
  private xl = false;
  private carry = Buffer.alloc(0);
  size = 0;

  push(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    if (this.zip === null && this.head.length >= 4) this.zip = this.head.subarray(0, 4).equals(ZIP_LOCAL_HEADER);
    if (this.zip) this.scanZip(chunk);
    else if (this.utf8Valid) {
      try { this.utf8.decode(chunk, { stream: true }); } catch { this.utf8Valid = false; }
    }
  }

  // every zip entry starts with a local header: signature, 26 bytes, the name's length at +26, the name at +30
  private scanZip(chunk: Buffer) {
    if (this.xl) return;
    const buf = Buffer.concat([this.carry, chunk]);
    for (let i = buf.indexOf(ZIP_LOCAL_HEADER); i >= 0 && i + 30 <= buf.length; i = buf.indexOf(ZIP_LOCAL_HEADER, i + 4)) {
      const nameLength = buf.readUInt16LE(i + 26);
      if (i + 30 + Math.min(nameLength, 3) > buf.length) break;
      if (buf.subarray(i + 30, i + 33).toString('latin1') === 'xl/') { this.xl = true; return; }
    }
    this.carry = buf.subarray(Math.max(0, buf.length - 64));
  }

  finish(): SniffResult {
    if (this.zip) {
      return this.xl ? { format: 'xlsx', encoding: null, delimiter: null } : { format: null, encoding: null, delimiter: null, reason: 'a zip archive that is not an Excel workbook (no xl/ entry)' };
    }
    if (this.utf8Valid) {
      try { this.utf8.decode(); } catch { this.utf8Valid = false; }
    }
    const encoding: TextEncoding = this.utf8Valid ? 'utf-8' : 'windows-1250';
    let text = iconv.decode(this.head, encoding === 'utf-8' ? 'utf8' : 'win1250');
    // the last character of the head may be cut in half
    if (this.size > this.head.length) text = text.slice(0, -1);
    if (!text.trim()) return { format: null, encoding: null, delimiter: null, reason: 'the file is empty' };
    // control characters other than tab and line breaks mean binary content
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text)) return { format: null, encoding: null, delimiter: null, reason: 'binary content, neither CSV text nor an Excel workbook' };
    const newline = text.search(/\r?\n/);
    if (newline < 0 && this.size > this.head.length) return { format: null, encoding: null, delimiter: null, reason: 'no header row in the first 64 KB' };
    const header = newline < 0 ? text : text.slice(0, newline);
    if (!header.replace(/[,;\t"\s]/g, '')) return { format: null, encoding: null, delimiter: null, reason: 'the first row holds no column names' };
    return { format: 'csv', encoding, delimiter: detectDelimiter(header) };
  }
}

/** `;` (what Hungarian Excel writes), `,` or tab: whichever separates the header line most, outside quotes. */
export function detectDelimiter(header: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]! += 1;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

/** One row of a sheet: `row` counts data rows from 1 (the first row under the header). */
export interface SheetRow {
  row: number;
  cells: Cell[];
}

export interface SheetReader {
  headers: string[];
  rows: AsyncIterable<SheetRow>;
}

/** Reads a CSV stream row by row: decoded (UTF-8 without its BOM, or Windows-1250), split by the delimiter found in the header. */
export async function readCsv(bytes: Readable, encoding: TextEncoding, delimiter: string): Promise<SheetReader> {
  const parser = bytes.pipe(iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'win1250')).pipe(parseCsv({
    delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false,
  }));
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await it.next();
  const headers = first.done ? [] : first.value.map((h) => h.trim());
  async function* rows(): AsyncGenerator<SheetRow> {
    let row = 0;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      row += 1;
      yield { row, cells: r.value.map(unneutralise) };
    }
  }
  return { headers, rows: rows() };
}

function xlsxCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return xlsxCell(o.result);
    if (o.text !== undefined) return xlsxCell(o.text);
    if (o.error) return o.error;
  }
  return String(v);
}

/** Reads the first worksheet of an XLSX stream row by row (exceljs streaming reader; the file is never held whole). */
export async function readXlsx(bytes: Readable): Promise<SheetReader> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(bytes, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' } as never);
  const sheets = workbook[Symbol.asyncIterator]();
  const sheet = await sheets.next();
  if (sheet.done) return { headers: [], rows: (async function* () { /* no sheet */ })() };
  const rowsIt = (sheet.value as unknown as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  let headerRow: ExcelJS.Row | undefined;
  for (let r = await rowsIt.next(); !r.done; r = await rowsIt.next()) {
    const cells = (r.value.values as unknown[]).slice(1).map(xlsxCell);
    if (cells.some((c) => c !== null && String(c).trim() !== '')) { headerRow = r.value; break; }
  }
  if (!headerRow) return { headers: [], rows: (async function* () { /* empty sheet */ })() };
  const headers = (headerRow.values as unknown[]).slice(1).map((v) => String(xlsxCell(v) ?? '').trim());
  const headerNumber = headerRow.number;
  async function* rows(): AsyncGenerator<SheetRow> {
    for (let r = await rowsIt.next(); !r.done; r = await rowsIt.next()) {
      yield { row: r.value.number - headerNumber, cells: (r.value.values as unknown[]).slice(1).map(xlsxCell) };
    }
    // drain the rest of the workbook so its streams close
    for (let s = await sheets.next(); !s.done; s = await sheets.next()) { /* other sheets are not read */ }
  }
  return { headers, rows: rows() };
}

/**
 * A CSV cell as written to a file a person will open in Excel (CSV has no cell types): text that would be taken
 * as a formula gets a leading apostrophe (OWASP CSV injection), and so does text that already begins with
 * apostrophes before such a character, so that `unneutralise` (the CSV reader) takes exactly one off again and an
 * export re-imports as it was. XLSX does not need it: there such text is a string cell (`sheetWriter`).
 */
export function neutralise(v: Cell): Cell {
  if (typeof v === 'string' && /^'*[=+\-@\t\r]/.test(v)) return `'${v}`;
  return v;
}

/** A CSV cell as read: the export's formula guard (one leading apostrophe before `'`s and `=`, `+`, `-`, `@`) taken off. */
export function unneutralise(v: string): string {
  return /^'+[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}

const csvText = (v: Cell, delimiter: string): string => {
  if (v === null || v === undefined) return '';
  const s = String(neutralise(v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' ? String(v) : v));
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Writes rows to a CSV or XLSX stream, with backpressure, safe against formula injection: CSV cells are neutralised
 * (`neutralise`); XLSX cells are typed values, never formulas — text is a string cell holding exactly the stored
 * text, formatted as Text (`@`) so that editing it in Excel keeps it text.
 */
export interface SheetWriter {
  stream: Readable;
  contentType: string;
  addRow(cells: Cell[]): Promise<void>;
  end(): Promise<void>;
  fail(err: Error): void;
}

export function sheetWriter(format: FileFormat, opts: { sheetName: string; delimiter?: string }): SheetWriter {
  const out = new PassThrough();
  const writeOut = async (w: Writable, s: string | Buffer) => { if (!w.write(s)) await once(w, 'drain'); };
  if (format === 'csv') {
    const delimiter = opts.delimiter ?? ',';
    out.write('\ufeff');
    return {
      stream: out,
      contentType: 'text/csv; charset=utf-8',
      addRow: (cells) => writeOut(out, `${cells.map((c) => csvText(c, delimiter)).join(delimiter)}\r\n`),
      end: async () => { out.end(); },
      fail: (err) => out.destroy(err),
    };
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(opts.sheetName);
  let n = 0;
  return {
    stream: out,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    async addRow(cells) {
      // every value is written as a plain value, never a formula object: text (`=…` included) is a string cell as it is
      const row = sheet.addRow(cells.map((c) => c ?? null));
      cells.forEach((c, i) => { if (typeof c === 'string') row.getCell(i + 1).numFmt = '@'; });
      row.commit();
      n += 1;
      if (n % 1000 === 0 && out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
    fail: (err) => out.destroy(err),
  };
}
