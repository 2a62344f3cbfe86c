import { PROBLEM_BASE, ProblemTypes } from '@kapocs/contracts';
import { forbidden, notFound, ProblemError } from '@kapocs/kit';

export const importNotFound = () => notFound('Import', `${PROBLEM_BASE}import-not-found`);

export const cannotImport = () => forbidden('Importing needs a CRM role that may write companies and persons.');

export const fileTooLarge = (maxBytes: number) =>
  new ProblemError({ type: ProblemTypes.payloadTooLarge, title: 'File too large', status: 413, detail: `An import file may be at most ${maxBytes} bytes.` });

export const unsupportedFile = (reason: string) =>
  new ProblemError({
    type: ProblemTypes.unsupportedMediaType, title: 'Not a CSV or XLSX file', status: 415,
    detail: `The file is read by its content, not its name: ${reason}. Send CSV text (UTF-8 or Windows-1250) with a header row, or an Excel workbook (.xlsx).`,
  });

export const importStateConflict = (status: string, wanted: string, from: string) =>
  new ProblemError({ type: `${PROBLEM_BASE}import-state`, title: 'Conflict', status: 409, detail: `The import is ${status}; it can be ${wanted} only when it is ${from}.` });
