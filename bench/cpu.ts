import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { cpus } from 'node:os';

export interface CpuSnapshot {
  wall: number;
  node: NodeJS.CpuUsage;
  machine: { busy: number; total: number } | null;
  /** utime+stime clock ticks of the given postgres backends (this database's connections), by pid. */
  postgres: Map<number, number>;
}

export const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User and system clock ticks of the given processes, by pid (those still running). */
export function processUserSystemTicks(pids: number[]): Map<number, { user: number; system: number }> {
  const out = new Map<number, { user: number; system: number }>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { user: Number(f[11]), system: Number(f[12]) }); // utime, stime (fields 14, 15)
    } catch {
      /* not local, or gone */
    }
  }
  return out;
}

/** utime+stime clock ticks of the given processes, by pid (those still running). */
export function processTicks(pids: number[]): Map<number, number> {
  return new Map([...processUserSystemTicks(pids)].map(([pid, t]) => [pid, t.user + t.system]));
}

function machineTicks(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
    const busy = user + nice + system + irq + softirq + (steal ?? 0);
    return { busy, total: busy + idle + iowait };
  } catch {
    return null;
  }
}

export function cpuSnapshot(backendPids: number[] = []): CpuSnapshot {
  return { wall: performance.now(), node: process.cpuUsage(), machine: machineTicks(), postgres: processTicks(backendPids) };
}

/**
 * Cores in use over an interval: this process (API + bench driver + load worker thread),
 * this database's postgres backends, and whatever else kept the machine busy (noise).
 */
export function cpuSince(
  a: CpuSnapshot,
  backendPids: number[] = [],
): {
  seconds: number;
  processCores: number;
  machineCores: number | null;
  /** busy cores neither this process nor this database's backends used (other work on the machine) */ otherCores: number | null;
  postgresCores: number | null;
  postgresCpuSeconds: number | null;
} {
  const b = cpuSnapshot(backendPids);
  const seconds = (b.wall - a.wall) / 1000;
  const processCores = (b.node.user - a.node.user + b.node.system - a.node.system) / 1e6 / seconds;
  let machineCores: number | null = null;
  if (a.machine && b.machine) {
    const frac = (b.machine.busy - a.machine.busy) / Math.max(1, b.machine.total - a.machine.total);
    machineCores = frac * cpus().length;
  }
  const r = (x: number) => Math.round(x * 100) / 100;
  // Backends that connected during the interval started from zero.
  let ticks = 0;
  for (const [pid, t] of b.postgres) ticks += t - (a.postgres.get(pid) ?? 0);
  const pgSeconds = b.postgres.size ? ticks / TICKS_PER_SECOND : null;
  return {
    seconds: r(seconds),
    processCores: r(processCores),
    machineCores: machineCores === null ? null : r(machineCores),
    otherCores: machineCores === null ? null : r(machineCores - processCores - (pgSeconds ?? 0) / seconds),
    postgresCores: pgSeconds === null ? null : r(pgSeconds / seconds),
    postgresCpuSeconds: pgSeconds === null ? null : r(pgSeconds),
  };
}

/** Main-thread CPU profile of an async section (Chrome DevTools .cpuprofile). */
export async function profile<T>(enabled: boolean, fn: () => Promise<T>): Promise<{ result: T; profile: object | null }> {
  if (!enabled) return { result: await fn(), profile: null };
  const s = new Session();
  s.connect();
  const post = (method: string, params?: object) => new Promise<any>((res, rej) => s.post(method, params ?? {}, (err, r) => (err ? rej(err) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    const result = await fn();
    const { profile: p } = await post('Profiler.stop');
    return { result, profile: p };
  } finally {
    s.disconnect();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Top self-time frames and inclusive time by package, from a .cpuprofile. */
export function profileSummary(
  p: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] },
  top = 15,
): { selfMs: [string, number][]; packageMs: [string, number][]; totalMs: number; busyMs: number; gcMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map<number, number>();
  let total = 0;
  let idle = 0;
  let gc = 0;
  p.samples.forEach((id, i) => {
    const d = p.timeDeltas[i] ?? 0;
    time.set(id, (time.get(id) ?? 0) + d);
    total += d;
    const fn = byId.get(id)?.callFrame.functionName;
    if (fn === '(idle)') idle += d;
    else if (fn === '(garbage collector)') gc += d;
  });
  const label = (n: ProfileNode) => {
    const u = n.callFrame.url;
    const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u);
    if (m) return m[1];
    if (u.includes('/dist/')) return u.split('/dist/')[1].split('/').slice(0, 2).join('/');
    return u ? 'node-internal' : `(${n.callFrame.functionName || 'native'})`;
  };
  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, t] of time) {
    const n = byId.get(id)!;
    const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (!seen.has(l)) {
        seen.add(l);
        pkg.set(l, (pkg.get(l) ?? 0) + t);
      }
    }
  }
  const ms = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]): [string, number] => [k, Math.round(t / 1000)]);
  // busy: the main thread not idle (the API's work, GC included); per request it is the API's CPU cost.
  return { selfMs: ms(self), packageMs: ms(pkg), totalMs: Math.round(total / 1000), busyMs: Math.round((total - idle) / 1000), gcMs: Math.round(gc / 1000) };
}
