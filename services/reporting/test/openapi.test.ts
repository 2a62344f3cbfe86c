import { expect, it } from 'vitest';
import { fuzzService } from '@kapocs/kit/testing';
import { reporting } from '../src/service';

// The published OpenAPI is the truth: schemathesis (examples, coverage, fuzzing) finds no 500, no answer
// outside the documented schema or content type, and no request that breaks the schema yet is accepted.
it('schemathesis finds no failure against the published OpenAPI', async (ctx) => {
  const run = await fuzzService(reporting, { maxTime: 10 });
  // no operation published yet: shown as skipped until the service has routes
  if (!run.operations) ctx.skip();
  expect(run.code, run.output).toBe(0);
}, 600_000);
