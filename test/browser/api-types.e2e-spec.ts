import { readFileSync } from 'node:fs';
import { createTestApp, TestApp } from '@app/testing';
import { renderApiTypes, SCHEMA_FILE } from '../../apps/web/scripts/api-types';

/** The web client's types are generated from the API's OpenAPI document; a stale copy fails here. */
describe('web client types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('apps/web/src/api/schema.d.ts matches the API (run `npm run api:types` after changing the API)', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    const fresh = await renderApiTypes(res.body);
    expect(readFileSync(SCHEMA_FILE, 'utf8') === fresh).toBe(true);
  });
});
