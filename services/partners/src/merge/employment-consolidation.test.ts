import { describe, expect, it } from 'vitest';
import { planConsolidation, type Stint } from './employment-consolidation';

const DAY = '2025-06-01';
let n = 0;
const stint = (s: Partial<Stint> & Pick<Stint, 'from'>): Stint => {
  n += 1;
  return { id: `e${String(n).padStart(3, '0')}`, companyId: 'alfa', role: null, to: null, primary: false, moved: false, ...s };
};

describe('planConsolidation', () => {
  it('combines an own and a moved employment that overlap: earliest from, open when either is open, the survivor\'s role', () => {
    const own = stint({ from: '2021-03-01', to: '2023-12-31', role: 'beszerző' });
    const moved = stint({ from: '2020-01-01', role: 'buyer', moved: true });
    expect(planConsolidation([own, moved], DAY)).toEqual([
      { kept: own, removed: [moved], after: { role: 'beszerző', from: '2020-01-01', to: null, primary: false } },
    ]);
  });

  it('combines periods that touch (one ends the day before the other starts); the latest end wins', () => {
    const own = stint({ from: '2019-01-01', to: '2020-12-31' });
    const moved = stint({ from: '2021-01-01', to: '2022-06-30', role: 'ügyintéző', moved: true });
    const [c] = planConsolidation([own, moved], DAY);
    expect(c?.after).toEqual({ role: 'ügyintéző', from: '2019-01-01', to: '2022-06-30', primary: false });
  });

  it('leaves separate periods apart: left in 2019, came back in 2023', () => {
    const own = stint({ from: '2015-01-01', to: '2019-05-31' });
    const moved = stint({ from: '2023-02-01', moved: true });
    expect(planConsolidation([own, moved], DAY)).toEqual([]);
  });

  it('leaves employments at different companies, and overlaps the survivor already had, alone', () => {
    const a = stint({ from: '2020-01-01' });
    const b = stint({ from: '2021-01-01' });
    const atBeta = stint({ from: '2020-01-01', companyId: 'beta', moved: true });
    expect(planConsolidation([a, b, atBeta], DAY)).toEqual([]);
  });

  it('a moved employment bridging two own ones folds all three into the most recent own one', () => {
    const early = stint({ from: '2015-01-01', to: '2018-12-31', role: 'gyakornok' });
    const bridge = stint({ from: '2018-06-01', to: '2021-05-01', moved: true });
    const late = stint({ from: '2021-05-02', to: '2024-01-31', role: 'vezető' });
    const [c, ...rest] = planConsolidation([early, bridge, late], DAY);
    expect(rest).toEqual([]);
    expect(c?.kept).toBe(late);
    expect(c?.removed.map((s) => s.id).sort()).toEqual([early.id, bridge.id].sort());
    expect(c?.after).toEqual({ role: 'vezető', from: '2015-01-01', to: '2024-01-31', primary: false });
  });

  it('takes the moved one\'s role when the survivor\'s has none, and primary when either was', () => {
    const own = stint({ from: '2020-01-01' });
    const moved = stint({ from: '2020-01-01', role: 'CFO', primary: true, moved: true });
    expect(planConsolidation([own, moved], DAY)[0]?.after).toEqual({ role: 'CFO', from: '2020-01-01', to: null, primary: true });
  });

  it('an ended primary employment made current again does not take the flag from the person\'s current primary employer', () => {
    const beta = stint({ from: '2021-01-01', companyId: 'beta', primary: true });
    const oldPrimary = stint({ from: '2012-01-01', to: '2020-12-31', primary: true });
    const moved = stint({ from: '2020-06-01', moved: true });
    expect(planConsolidation([beta, oldPrimary, moved], DAY)[0]?.after).toEqual({ role: null, from: '2012-01-01', to: null, primary: false });
  });

  it('two ended primary employments made current again: only the most recent one stays primary', () => {
    const alfaOld = stint({ from: '2010-01-01', to: '2015-12-31', primary: true });
    const alfaNew = stint({ from: '2015-06-01', moved: true });
    const betaOld = stint({ from: '2016-01-01', to: '2018-12-31', companyId: 'beta', primary: true });
    const betaNew = stint({ from: '2018-01-01', companyId: 'beta', moved: true });
    const plan = planConsolidation([alfaOld, alfaNew, betaOld, betaNew], DAY);
    expect(plan.map((c) => [c.kept.companyId, c.after.primary])).toEqual([['alfa', false], ['beta', true]]);
  });

  it('the current primary employment keeps the flag when its run is combined', () => {
    const own = stint({ from: '2020-01-01', primary: true });
    const moved = stint({ from: '2019-01-01', to: '2020-03-31', moved: true });
    const other = stint({ from: '2010-01-01', to: '2012-12-31', companyId: 'beta', primary: true });
    expect(planConsolidation([own, moved, other], DAY)[0]?.after.primary).toBe(true);
  });
});
