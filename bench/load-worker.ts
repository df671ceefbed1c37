/**
 * Runs autocannon in a worker thread, so the load generator has an event loop of its
 * own and does not share the API's (the API runs in the main thread of the same process).
 * Each request takes the next case id, so every case is acted on at most once.
 */
import { parentPort, workerData } from 'node:worker_threads';

// autocannon ships no types; the slice used here is typed below.
const autocannon: ((opts: Record<string, unknown>) => Promise<unknown>) & {
  aggregateResult: (results: unknown[], opts: Record<string, unknown>) => AutocannonResult;
} = require('autocannon');

export interface LoadJob {
  url: string;
  token: string;
  ids: string[];
  amount: number;
  connections: number;
  action: string;
  body: Record<string, unknown>;
}

interface Histogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  p99_9?: number;
}

export interface AutocannonResult {
  duration: number;
  latency: Histogram;
  requests: Histogram & { total: number; sent: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  [k: string]: unknown;
}

export interface LoadOutcome {
  result: AutocannonResult;
  idsTaken: number;
  failures: { status: number; body: string }[];
}

async function run(job: LoadJob): Promise<LoadOutcome> {
  let next = 0;
  const failures: { status: number; body: string }[] = [];
  const opts = {
    url: job.url,
    connections: job.connections,
    amount: job.amount,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
        body: JSON.stringify(job.body),
        setupRequest: (req: Record<string, unknown>) => {
          const id = job.ids[next++];
          if (!id) throw new Error(`ran out of case ids after ${next - 1}`);
          return { ...req, path: `/api/cases/${id}/actions/${job.action}` };
        },
        onResponse: (status: number, body: string) => {
          if ((status < 200 || status >= 300) && failures.length < 5) failures.push({ status, body: String(body).slice(0, 300) });
        },
      },
    ],
  };
  // Off the main thread autocannon returns encoded histograms; aggregate them here.
  const raw = await autocannon(opts);
  const result = autocannon.aggregateResult([raw], { url: job.url, connections: job.connections, amount: job.amount });
  return { result, idsTaken: next, failures };
}

run(workerData as LoadJob).then(
  (out) => parentPort!.postMessage({ ok: true, out }),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.stack : String(err) }),
);
