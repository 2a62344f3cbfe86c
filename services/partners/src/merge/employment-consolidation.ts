import { isCurrent } from '../employments/employment-views';

/** One live employment of a person after a merge re-pointed it; `moved` when it came from the merged record. */
export interface Stint {
  id: string;
  companyId: string;
  role: string | null;
  from: string;
  to: string | null;
  primary: boolean;
  moved: boolean;
}

export interface Period { role: string | null; from: string; to: string | null; primary: boolean }

/** Overlapping employments at one company folded into `kept` (a survivor-side row); `removed` are the others. */
export interface Combination {
  kept: Stint;
  after: Period;
  removed: Stint[];
}

const OPEN = '9999-12-31';

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Latest end first (open ones latest), then latest start, then the newer id. */
const byRecency = (a: { to: string | null; from: string; id?: string }, b: { to: string | null; from: string; id?: string }) =>
  (b.to ?? OPEN).localeCompare(a.to ?? OPEN) || b.from.localeCompare(a.from) || (b.id ?? '').localeCompare(a.id ?? '');

const laterEnd = (a: string | null, b: string | null) => (a === null || b === null ? null : a > b ? a : b);

/** Runs of employments at one company whose periods overlap or touch (one ends the day before the next starts). */
function overlappingRuns(stints: Stint[]): Stint[][] {
  const sorted = [...stints].sort((a, b) => a.from.localeCompare(b.from) || (a.to ?? OPEN).localeCompare(b.to ?? OPEN));
  const runs: Stint[][] = [];
  let run: Stint[] = [];
  let end = null as string | null;
  for (const s of sorted) {
    if (run.length && (end === null || s.from <= nextDay(end))) {
      run.push(s);
      end = laterEnd(end, s.to);
      continue;
    }
    if (run.length) runs.push(run);
    run = [s];
    end = s.to;
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * How a merge cleans up one person's employments (all their live ones, after the move). At each company, employments whose periods overlap or touch form a run; a run with
 * employments from both sides (the survivor's own and moved ones) becomes one employment: the earliest `from`,
 * the latest `to` (open if any is open), the role of the survivor-side employment (the most recent one with a
 * role), else the most recent moved one's, primary if any of them was. The most recent survivor-side employment
 * is kept; the others are removed. Runs of one side only, and separate periods, are left as they are: that is
 * history users entered, not what the merge doubled.
 *
 * At most one current employment stays primary: one that already was current and primary (its run keeps the
 * flag); otherwise, among combined ones that became current and primary, the most recent.
 */
export function planConsolidation(stints: Stint[], day: string): Combination[] {
  const byCompany = new Map<string, Stint[]>();
  for (const s of stints) {
    byCompany.set(s.companyId, [...(byCompany.get(s.companyId) ?? []), s]);
  }
  const out: (Combination & { wasCurrentPrimary: boolean })[] = [];
  for (const group of byCompany.values()) {
    for (const run of overlappingRuns(group)) {
      if (!run.some((s) => s.moved) || !run.some((s) => !s.moved)) continue;
      const recent = [...run].sort(byRecency);
      const own = recent.filter((s) => !s.moved);
      const kept = own[0]!;
      const role = own.find((s) => s.role)?.role ?? recent.find((s) => s.role)?.role ?? null;
      const from = run.map((s) => s.from).reduce((a, b) => (b < a ? b : a));
      const to = run.map((s) => s.to).reduce(laterEnd);
      out.push({
        kept, removed: recent.filter((s) => s.id !== kept.id), after: { role, from, to, primary: run.some((s) => s.primary) },
        wasCurrentPrimary: run.some((s) => s.primary && isCurrent(s.to, day)),
      });
    }
  }

  const combinedIds = new Set(out.flatMap((c) => [c.kept.id, ...c.removed.map((s) => s.id)]));
  const established = stints.some((s) => !combinedIds.has(s.id) && s.primary && isCurrent(s.to, day)) || out.some((c) => c.wasCurrentPrimary);
  // an ended primary employment that a merge made current again does not take the flag from the person's primary employer
  const promoted = out.filter((c) => !c.wasCurrentPrimary && c.after.primary && isCurrent(c.after.to, day)).sort((a, b) => byRecency(a.after, b.after));
  for (const c of established ? promoted : promoted.slice(1)) c.after.primary = false;

  return out.map(({ kept, after, removed }) => ({ kept, after, removed }));
}

/** The fields of the kept employment that the combination changes, in the order events and audit name them. */
export function changedFields(c: Combination): (keyof Period)[] {
  const before: Period = { role: c.kept.role, from: c.kept.from, to: c.kept.to, primary: c.kept.primary };
  return (['role', 'from', 'to', 'primary'] as const).filter((k) => before[k] !== c.after[k]);
}
