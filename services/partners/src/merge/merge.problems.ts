import { PROBLEM_BASE, ProblemTypes } from '@kapocs/contracts';
import { forbidden, ProblemError, validationProblem } from '@kapocs/kit';

export const mayNotMerge = () => forbidden('Only managers (within their departments), directors and admins may merge records.');
export const managerOutsideDepartments = () => forbidden('A manager may merge only records of their own departments.');
export const sameRecord = () => validationProblem([{ path: 'mergedId', message: 'must differ from survivorId' }]);

/** 428: a merge changes two records, so it must name the version of each that the user compared. */
export const versionsRequired = () =>
  new ProblemError({
    type: ProblemTypes.preconditionRequired, title: 'Versions required', status: 428,
    detail: 'Send versions: { survivor, merged } with the ETags of the two records you compared.',
  });

/** 410 for a record merged into another, pointing at the survivor (extension member and Location header). */
export const mergedAway = (entity: 'company' | 'person', survivorId: string) => {
  const path = entity === 'company' ? 'companies' : 'persons';
  return new ProblemError({
    type: `${PROBLEM_BASE}${entity}-merged`, title: `The ${entity} was merged into another`, status: 410,
    detail: `This ${entity} was merged; it lives on as /${path}/${survivorId}.`,
    headers: { location: `/${path}/${survivorId}` },
    extensions: { mergedInto: survivorId },
  });
};
