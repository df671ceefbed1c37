import {
  canonicalJson,
  eventHash as keyedHash,
  GENESIS_HASH,
  legacyEventHash,
  verifyChain,
  type AuditKey,
  type ChainEventInput,
  type StoredChainEvent,
} from './audit';

const KEY: AuditKey = { id: 'k1', secret: 'unit-test-audit-key-0123456789abcdef' };
const KEYS = new Map([[KEY.id, KEY.secret]]);
const eventHash = (e: ChainEventInput) => keyedHash(e, KEY);
type Stored = StoredChainEvent;

function chain(n: number): Stored[] {
  const events: Stored[] = [];
  let prevHash: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const input: ChainEventInput = {
      caseId: '7d0f8f0e-4d8a-4c57-9d55-3b0f3e0c2a11',
      seq,
      actorId: 'u-officer',
      action: seq === 1 ? 'submit' : 'assign',
      fromState: seq === 1 ? 'draft' : 'submitted',
      toState: 'submitted',
      payload: { n: seq, nested: { b: 2, a: [1, 'x', null] } },
      createdAt: new Date(Date.UTC(2026, 2, 1, 9, 0, seq, 123)).toISOString(),
      prevHash,
    };
    const hash = eventHash(input);
    events.push({ ...input, hash, keyId: KEY.id });
    prevHash = hash;
  }
  return events;
}

describe('canonicalJson', () => {
  it.each([
    [
      { b: 1, a: 2 },
      { a: 2, b: 1 },
    ],
    [
      { z: { y: 1, x: [{ q: 1, p: 2 }] }, a: null },
      { a: null, z: { x: [{ p: 2, q: 1 }], y: 1 } },
    ],
  ])('does not depend on key order (%#)', (left, right) => {
    expect(canonicalJson(left)).toBe(canonicalJson(right));
  });

  it.each([
    [{ b: 1, a: 'é' }, '{"a":"é","b":1}'],
    [[3, { y: true, x: 1.5 }], '[3,{"x":1.5,"y":true}]'],
    [{ a: undefined, b: 1 }, '{"b":1}'],
    [1e21, '1e+21'],
  ])('renders %j as RFC 8785', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('eventHash', () => {
  const [first] = chain(1);
  it('is HMAC-SHA-256 hex', () => expect(first.hash).toMatch(/^[0-9a-f]{64}$/));
  it('ignores the key order of the payload and extra fields of a stored row', () => {
    const reordered = { ...first, payload: { nested: { a: [1, 'x', null], b: 2 }, n: 1 }, id: 99, hash: 'whatever' };
    expect(eventHash(reordered)).toBe(first.hash);
  });
  it('changes with any covered field', () => {
    expect(eventHash({ ...first, createdAt: '2026-03-01T09:00:01.124Z' })).not.toBe(first.hash);
    expect(eventHash({ ...first, actorId: null })).not.toBe(first.hash);
  });
  it('starts a chain with a null prevHash, not GENESIS_HASH', () => {
    expect(first.prevHash).toBeNull();
    expect(eventHash({ ...first, prevHash: GENESIS_HASH })).not.toBe(first.hash);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain(5), KEYS)).toEqual({ ok: true, count: 5 });
    expect(verifyChain([], KEYS)).toEqual({ ok: true, count: 0 });
  });

  const tamper: [string, (events: Stored[]) => Stored[], number, RegExp][] = [
    [
      'payload edited',
      (e) => {
        e[2] = { ...e[2], payload: { n: 999 } };
        return e;
      },
      3,
      /hash/,
    ],
    [
      'payload edited and rehashed',
      (e) => {
        const { hash: _h, ...rest } = { ...e[2], payload: { n: 999 } };
        e[2] = { ...rest, hash: eventHash(rest) };
        return e;
      },
      4,
      /prevHash/,
    ],
    [
      'prevHash rewritten',
      (e) => {
        e[3] = { ...e[3], prevHash: 'f'.repeat(64) };
        return e;
      },
      4,
      /prevHash/,
    ],
    ['an event deleted', (e) => e.filter((x) => x.seq !== 3), 4, /seq 3/],
    ['the first event deleted', (e) => e.slice(1), 2, /seq 1/],
    [
      'first prevHash set to the genesis string',
      (e) => {
        e[0] = { ...e[0], prevHash: GENESIS_HASH };
        return e;
      },
      1,
      /prevHash/,
    ],
    [
      'stored hash replaced',
      (e) => {
        e[4] = { ...e[4], hash: '0'.repeat(64) };
        return e;
      },
      5,
      /hash/,
    ],
    [
      'an event of another case spliced in',
      (e) => {
        const { hash: _h, ...rest } = { ...e[1], caseId: 'other' };
        e[1] = { ...rest, hash: eventHash(rest) };
        return e;
      },
      2,
      /caseId/,
    ],
  ];
  it.each(tamper)('detects %s', (_label, mutate, seq, reason) => {
    const result = verifyChain(mutate(chain(5)), KEYS);
    expect(result).toMatchObject({ ok: false, seq });
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('keyed chain', () => {
  it('an event appended with a plain SHA-256 (what the database role could compute) does not verify', () => {
    const events = chain(3);
    const forged: ChainEventInput = { ...events[2], seq: 4, action: 'approve', prevHash: events[2].hash };
    events.push({ ...forged, hash: legacyEventHash(forged), keyId: 'sha256' });
    const result = verifyChain(events, KEYS);
    expect(result).toMatchObject({ ok: false, seq: 4 });
    if (!result.ok) expect(result.reason).toMatch(/unkeyed SHA-256/);
  });

  it('an event sealed with another key does not verify, and naming the key id does not help', () => {
    const events = chain(2);
    const forged: ChainEventInput = { ...events[1], seq: 3, prevHash: events[1].hash };
    events.push({ ...forged, hash: keyedHash(forged, { id: 'k1', secret: 'guessed' }), keyId: 'k1' });
    expect(verifyChain(events, KEYS)).toMatchObject({ ok: false, seq: 3 });
  });

  it('needs the key: without it the chain cannot be verified', () => {
    const result = verifyChain(chain(2), new Map());
    expect(result).toMatchObject({ ok: false, seq: 1 });
    if (!result.ok) expect(result.reason).toMatch(/does not hold/);
  });

  it('verifies across a rotation with the previous key kept, and the key id is covered', () => {
    const old = chain(2);
    const next: AuditKey = { id: 'k2', secret: 'rotated-audit-key-0123456789abcdef' };
    const e3: ChainEventInput = { ...old[1], seq: 3, prevHash: old[1].hash };
    const events = [...old, { ...e3, hash: keyedHash(e3, next), keyId: 'k2' }];
    expect(
      verifyChain(
        events,
        new Map([
          [KEY.id, KEY.secret],
          [next.id, next.secret],
        ]),
      ),
    ).toEqual({ ok: true, count: 3 });
    const swapped = events.map((e, i) => (i === 2 ? { ...e, keyId: 'k1' } : e));
    expect(
      verifyChain(
        swapped,
        new Map([
          [KEY.id, KEY.secret],
          [next.id, next.secret],
        ]),
      ),
    ).toMatchObject({ ok: false, seq: 3 });
  });

  it('accepts plain SHA-256 only for events stored before keyed hashing began', () => {
    const e1: ChainEventInput = {
      caseId: null,
      seq: 1,
      actorId: null,
      action: 'x',
      fromState: null,
      toState: null,
      payload: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      prevHash: null,
    };
    const legacy = { ...e1, hash: legacyEventHash(e1), keyId: 'sha256' };
    expect(verifyChain([{ ...legacy, beforeKeys: true }], KEYS)).toEqual({ ok: true, count: 1 });
    expect(verifyChain([legacy], KEYS)).toMatchObject({ ok: false, seq: 1 });
  });
});
