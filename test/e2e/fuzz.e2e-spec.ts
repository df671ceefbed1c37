import { JwtService } from '@nestjs/jwt';
import fc from 'fast-check';
import { CaseDriver, createTestApp, DEMO, TestApp } from '@app/testing';

/**
 * Property: whatever a client sends to any operation of the OpenAPI document (path,
 * query and body generated from the operation's own declaration, bent out of shape),
 * the API answers below 500, and every 4xx says what is wrong in a sentence with a code.
 * Seeded and bounded: the same requests every run.
 */
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Param = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema };
type Operation = { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const SEED = 20261130;
const RUNS_PER_OPERATION = 24;
const FRAMEWORK_DEFAULTS = [
  /should not exist/,
  /numeric string is expected/,
  /must be a UUID$/,
  /in JSON at position/,
  /Unexpected token/,
  /Cannot (GET|POST|PUT|PATCH|DELETE)/,
];

/** Strings a careless or hostile client sends. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    'a\u0000b',
    '\u0000',
    '\ud800',
    'x\udfffy',
    '2031-02-30',
    '2026-13-01',
    '0000-00-00',
    '9999-99-99T99:99:99Z',
    '1e309',
    '-1',
    'NaN',
    'null',
    'true',
    '00000000-0000-0000-0000-000000000000',
    'not-a-uuid',
    "' OR 1=1 --",
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    'x'.repeat(5000),
    '😀',
    'ab\u202ecd',
  ),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(Number.MAX_SAFE_INTEGER * 4),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyString, nastyString, { maxKeys: 3 }),
);

function resolve(doc: Doc, s: Schema | undefined, depth = 0): Schema {
  if (!s || depth > 5) return {};
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')], depth + 1);
  const all = s.allOf ?? s.oneOf ?? s.anyOf;
  if (all?.length) return resolve(doc, all[0], depth + 1);
  return s;
}

/** A plausible value for a schema, or a nasty one (about half the time). */
function valueFor(doc: Doc, s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const r = resolve(doc, s);
  if (depth > 3) return nastyValue;
  let good: fc.Arbitrary<unknown>;
  if (r.enum?.length) good = fc.constantFrom(...r.enum);
  else if (r.format === 'uuid') good = fc.uuid();
  else if (r.format === 'date') good = fc.constantFrom('2026-12-29', '2031-02-30', '2026-02-29', '2028-02-29');
  else if (r.format === 'email') good = fc.emailAddress();
  else if (r.type === 'integer' || r.type === 'number') good = fc.integer({ min: -5, max: 500 });
  else if (r.type === 'boolean') good = fc.boolean();
  else if (r.type === 'array') good = fc.array(valueFor(doc, r.items, depth + 1), { maxLength: 3 });
  else if (r.type === 'object' || r.properties) good = objectFor(doc, r, depth + 1);
  else good = fc.string({ maxLength: 30 });
  return fc.oneof(good, nastyValue);
}

function objectFor(doc: Doc, s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const record: Record<string, fc.Arbitrary<unknown>> = Object.create(null);
  for (const [k, v] of props) record[k] = valueFor(doc, v, depth);
  return fc
    .tuple(
      fc.record(record, { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('evil', '__proto__', 'constructor', 'a\u0000'), nastyValue), { nil: undefined }),
    )
    .map(([o, extra]) => {
      const out: Record<string, unknown> = { ...o };
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/** Percent-encoding that keeps a lone surrogate as the invalid UTF-8 bytes a hostile client would send. */
function enc(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[^]/gu, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
      return '%ED%' + (0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase() + '%' + (0x80 | (c & 0x3f)).toString(16).toUpperCase();
    return encodeURIComponent(ch);
  });
}

function deepJson(n: number): string {
  return '['.repeat(n) + ']'.repeat(n);
}

describe('fuzz: every operation of the OpenAPI document', () => {
  let t: TestApp;
  let doc: Doc;
  let caseId: string;
  const tokens: Record<string, string> = Object.create(null);
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http().get('/api/docs-json')).body;
    caseId = (await new CaseDriver(t).submitted()).id;
    for (const who of ['researcher', 'officer', 'admin', 'lead'] as const) tokens[who] = await t.token(DEMO[who]);
    const jwt = t.app.get(JwtService);
    tokens.badSub = await jwt.signAsync({ sub: 'not-a-uuid' });
    tokens.nulSub = await jwt.signAsync({ sub: 'a\u0000b' });
    tokens.numSub = await jwt.signAsync({ sub: 42 } as never);
  });
  afterAll(() => t?.close());

  it('answers below 500 with a code and a sentence, over every operation, seeded', async () => {
    const failures: string[] = [];
    let requests = 0;
    let serverErrors = 0;
    const send = async (method: string, url: string, token: string | undefined, body: unknown, raw = false) => {
      requests++;
      let req = t.http()[method as 'get'](url);
      if (token) req = req.set('Authorization', `Bearer ${token}`);
      if (body !== undefined) req = req.set('Content-Type', 'application/json').send(raw ? (body as string) : JSON.stringify(body));
      const res = await req;
      const where = `${method.toUpperCase()} ${url.slice(0, 120)} → ${res.status}`;
      if (res.status >= 500) {
        serverErrors++;
        failures.push(`${where} ${JSON.stringify(res.body).slice(0, 200)}`);
      } else if (res.status >= 400) {
        const { code, message } = res.body ?? {};
        if (typeof code !== 'string' || typeof message !== 'string' || !/^\S.*[.?!)]$/s.test(message) || FRAMEWORK_DEFAULTS.some((re) => re.test(message))) {
          failures.push(`${where} without a code and a plain sentence: ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
    };

    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(40);
    for (const { path, method, op } of operations) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params = op.parameters ?? [];
      const pathArbs: Record<string, fc.Arbitrary<string>> = Object.create(null);
      for (const p of params.filter((x) => x.in === 'path')) {
        const r = resolve(doc, p.schema);
        pathArbs[p.name] = fc
          .oneof(
            r.format === 'uuid' ? fc.constantFrom(caseId, '00000000-0000-4000-8000-000000000000') : fc.constantFrom(...((r.enum as string[]) ?? ['x'])),
            nastyString,
          )
          .map(String);
      }
      const queryArbs: Record<string, fc.Arbitrary<unknown>> = Object.create(null);
      for (const p of params.filter((x) => x.in === 'query')) queryArbs[p.name] = valueFor(doc, p.schema);
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const bodyArb: fc.Arbitrary<unknown> = bodySchema
        ? fc.oneof({ weight: 4, arbitrary: valueFor(doc, bodySchema) }, { weight: 1, arbitrary: nastyValue })
        : fc.constant(undefined);
      const arb = fc.record({
        path: fc.record(pathArbs),
        query: fc.record(queryArbs, { requiredKeys: [] }),
        body: bodyArb,
        who: fc.constantFrom(undefined, 'researcher', 'officer', 'admin', 'lead', 'badSub', 'nulSub', 'numSub'),
      });
      await fc.assert(
        fc.asyncProperty(arb, async ({ path: pv, query, body, who }) => {
          const url = path.replace(/\{(\w+)\}/g, (_, n) => enc(pv[n] ?? 'x'));
          const qs = Object.entries(query)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => `${enc(k)}=${enc(typeof v === 'string' ? v : JSON.stringify(v))}`)
            .join('&');
          await send(method, qs ? `${url}?${qs}` : url, who ? tokens[who] : undefined, body);
          return true;
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      // The same operation with a body nested far deeper than any schema, and with a body that is not JSON.
      if (bodySchema) {
        const url = path.replace(/\{(\w+)\}/g, () => caseId);
        await send(method, url, tokens.admin, deepJson(10_000), true);
        await send(method, url, tokens.admin, '{"a":', true);
      }
    }
    // The unauthenticated login, deep and broad.
    await send('post', '/api/auth/login', undefined, `{"email":${deepJson(10_000)},"password":"x"}`, true);
    await send('post', '/api/auth/login', undefined, deepJson(100_000), true);

    if (process.env.FUZZ_OUT) require('node:fs').writeFileSync(process.env.FUZZ_OUT, failures.join('\n'));
    process.stdout.write(`fuzz: ${requests} requests over ${operations.length} operations, ${serverErrors} answered 5xx, ${failures.length} failures\n`);
    expect(failures.slice(0, 40)).toEqual([]);
    expect(serverErrors).toBe(0);
  }, 300_000);
});
