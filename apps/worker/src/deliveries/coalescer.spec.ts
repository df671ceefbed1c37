import { Coalescer, Slots } from './coalescer';

describe('Coalescer', () => {
  it('sends requests made together as one batch and answers each in order', async () => {
    const batches: number[][] = [];
    const c = new Coalescer(async (xs: number[]) => {
      batches.push(xs);
      return xs.map((x) => x * 10);
    });
    const answers = await Promise.all([1, 2, 3].map((x) => c.submit(x)));
    expect(answers).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects requests made while a batch runs into the next batch, and splits at the maximum', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new Coalescer(async (xs: number[]) => {
      batches.push(xs);
      if (batches.length === 1) await gate;
      return xs;
    }, 2);
    const first = c.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((x) => c.submit(x));
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every request of a failed batch, and the next batch still runs', async () => {
    let fail = true;
    const c = new Coalescer(async (xs: string[]) => {
      if (fail) {
        fail = false;
        throw new Error('database gone');
      }
      return xs.map((x) => x.toUpperCase());
    });
    const failed = await Promise.allSettled([c.submit('a'), c.submit('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/database gone/);
    expect(await c.submit('c')).toBe('C');
  });
});

describe('Slots', () => {
  it('lets at most `size` holders in, the rest in order of arrival', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then(() => order.push('third'));
    const fourth = slots.acquire().then(() => order.push('fourth'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual(['third']);
    slots.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });
});
