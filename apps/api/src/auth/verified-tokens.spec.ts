import { VerifiedTokens } from './verified-tokens';

const claims = (exp: number) => ({ sub: 'u', sid: 's', exp });

describe('VerifiedTokens', () => {
  it('gives back a remembered token until the second its exp names, as jsonwebtoken counts expiry', () => {
    const v = new VerifiedTokens();
    v.remember('a.b.c', claims(1_000));
    expect(v.get('a.b.c', 999_999)).toEqual(claims(1_000));
    expect(v.get('a.b.c', 1_000_000)).toBeNull();
    // Gone once expired, not just hidden.
    expect(v.get('a.b.c', 0)).toBeNull();
  });

  it('knows only the exact text it was given', () => {
    const v = new VerifiedTokens();
    v.remember('a.b.c', claims(1_000));
    expect(v.get('a.b.C', 0)).toBeNull();
    expect(v.get('a.b.c ', 0)).toBeNull();
  });

  it('does not remember a token without a numeric expiry', () => {
    const v = new VerifiedTokens();
    v.remember('x', claims(NaN));
    expect(v.get('x', 0)).toBeNull();
  });

  it('holds at most max tokens, dropping the oldest', () => {
    const v = new VerifiedTokens(3);
    for (const t of ['t1', 't2', 't3', 't4']) v.remember(t, claims(1_000));
    expect(v.size).toBe(3);
    expect(v.get('t1', 0)).toBeNull();
    expect(v.get('t4', 0)).not.toBeNull();
  });
});
