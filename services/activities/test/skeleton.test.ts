import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, startActivities, type Harness } from './harness';

let h: Harness;
beforeAll(async () => { h = await startActivities(); });
afterAll(() => h?.close());

it('is alive and ready on its own database', async () => {
  const live = await h.app.inject({ url: '/healthz' });
  expect(live.statusCode).toBe(200);
  expect(live.json()).toMatchObject({ status: 'ok', service: 'activities' });
  const ready = await h.app.inject({ url: '/readyz' });
  expect(ready.statusCode).toBe(200);
});

it('publishes its OpenAPI, with no operation yet', async () => {
  const res = await h.app.inject({ url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(Object.keys(res.json<{ paths?: object }>().paths ?? {})).toEqual([]);
});

it('without a token answers 401 problem+json', async () => {
  const res = await h.app.inject({ url: '/activities' });
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
});

it('with a real token, a route it does not have yet answers 404 problem+json', async () => {
  const res = await as(h, 'anna.sales').get('/activities');
  expect(res.statusCode).toBe(404);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
});
