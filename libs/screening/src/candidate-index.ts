import { EntityManager } from 'typeorm';
import { trigrams } from '@app/domain';
import { ScreeningCandidate, ScreeningRepository } from '@app/persistence';

/** pg_trgm's default `%` threshold: the same candidates as the database query. */
const SIMILARITY = 0.3;

/**
 * The current lists' names held in the process, searched the way pg_trgm's `%` and
 * `<->` search them (same trigrams, same similarity), so a check costs one small query
 * (is the cached copy still current?) instead of an index scan. Rebuilt when the set of
 * current list versions changes; one copy per database connection.
 */
export class CandidateIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly sizes: number[] = [];
  private constructor(
    readonly signature: string,
    private readonly rows: ScreeningCandidate[],
    keys: string[],
  ) {
    keys.forEach((key, i) => {
      const ts = trigrams(key);
      this.sizes.push(ts.size);
      for (const t of ts) {
        const list = this.postings.get(t);
        if (list) list.push(i);
        else this.postings.set(t, [i]);
      }
    });
  }

  static fromRows(signature: string, rows: (ScreeningCandidate & { nameKey: string })[]): CandidateIndex {
    return new CandidateIndex(
      signature,
      rows,
      rows.map((r) => r.nameKey),
    );
  }

  static async load(em: EntityManager, repo: ScreeningRepository, signature: string): Promise<CandidateIndex> {
    return CandidateIndex.fromRows(signature, await repo.allCurrentNames(em));
  }

  /** The `limit` names nearest to the key among those at least 0.3 similar, nearest first. */
  candidates(key: string, limit = 30): ScreeningCandidate[] {
    const q = trigrams(key);
    if (!q.size) return [];
    const shared = new Map<number, number>();
    for (const t of q) for (const i of this.postings.get(t) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    const scored: [number, number][] = [];
    for (const [i, n] of shared) {
      const sim = n / (q.size + this.sizes[i] - n);
      if (sim >= SIMILARITY) scored.push([i, sim]);
    }
    scored.sort((a, b) => b[1] - a[1]);
    return scored.slice(0, limit).map(([i]) => this.rows[i]);
  }
}

/** How long a process trusts its copy without asking which lists are current. */
const RECHECK_MS = 1000;
let generation = 0;
/** Called after an import in this process: the next check reloads at once. */
export function listsChanged(): void {
  generation++;
}

interface Cached {
  index: Promise<CandidateIndex>;
  checkedAt: number;
  generation: number;
}
const cache = new WeakMap<object, Cached>();

/**
 * The index for this connection's current lists. The set of current versions is asked
 * at most once a second (another API process's import is seen within a second) and at
 * once after an import in this process.
 */
export async function candidateIndex(em: EntityManager, repo: ScreeningRepository): Promise<CandidateIndex> {
  const cached = cache.get(em.connection);
  const now = Date.now();
  if (cached && cached.generation === generation && now - cached.checkedAt < RECHECK_MS) {
    const idx = await cached.index.catch(() => null);
    if (idx) return idx;
  }
  const signature = await repo.currentSignature(em);
  if (cached && cached.generation === generation) {
    const idx = await cached.index.catch(() => null);
    if (idx && idx.signature === signature) {
      cached.checkedAt = now;
      return idx;
    }
  }
  const index = CandidateIndex.load(em, repo, signature);
  cache.set(em.connection, { index, checkedAt: now, generation });
  return index;
}
