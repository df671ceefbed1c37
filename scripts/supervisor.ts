/**
 * Keeps the launcher's child processes (API, worker, demo mail catcher) running: a child
 * that exits unasked is started again after a backoff (1 s, doubling, at most 30 s) with
 * one log line saying which, why and when; the others keep running. A child that keeps
 * dying (more than `maxRestarts` restarts within `windowMs`) is given up on, and the
 * launcher then stops everything and exits non-zero so that the service manager above it
 * (systemd `Restart=`, compose `restart:`) or a person takes over.
 */
import { ChildProcess, spawn } from 'node:child_process';

export interface ChildSpec {
  name: string;
  /** A Node script run with this Node binary. */
  script: string;
  args?: string[];
  /** Options for Node itself (e.g. `-r ts-node/register`), before the script. */
  nodeArgs?: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** The child's output: the launcher's, none, or a file descriptor (a log file). */
  stdio?: 'inherit' | 'ignore' | number;
}

export interface SupervisorOptions {
  /** First restart delay; doubles per restart inside the window. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Restarts allowed within `windowMs` before giving up. */
  maxRestarts: number;
  windowMs: number;
  log: (line: string) => void;
  /** Called once when a child keeps failing; the launcher stops everything. */
  onGiveUp: (name: string, why: string) => void;
}

export const DEFAULT_SUPERVISOR_OPTIONS: Omit<SupervisorOptions, 'log' | 'onGiveUp'> = {
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxRestarts: 5,
  windowMs: 60_000,
};

interface Supervised {
  spec: ChildSpec;
  proc: ChildProcess;
  /** Start times of the restarts inside the window. */
  restarts: number[];
  pending: NodeJS.Timeout | null;
}

function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;
  private gaveUp = false;
  private readonly opts: SupervisorOptions;

  constructor(opts: Partial<SupervisorOptions> & Pick<SupervisorOptions, 'log' | 'onGiveUp'>) {
    this.opts = { ...DEFAULT_SUPERVISOR_OPTIONS, ...opts };
  }

  /** Starts a child and keeps it running. */
  start(spec: ChildSpec): void {
    const child: Supervised = { spec, proc: this.spawn(spec), restarts: [], pending: null };
    this.children.push(child);
    this.opts.log(`[supervisor] ${spec.name} started (pid ${child.proc.pid}).`);
    this.watch(child);
  }

  /** The current process of a child (a new one after each restart). */
  current(name: string): ChildProcess | undefined {
    return this.children.find((c) => c.spec.name === name)?.proc;
  }

  get givenUp(): boolean {
    return this.gaveUp;
  }

  private spawn(spec: ChildSpec): ChildProcess {
    const stdio = spec.stdio ?? 'inherit';
    return spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script, ...(spec.args ?? [])], {
      cwd: spec.cwd,
      env: { ...spec.env },
      stdio: typeof stdio === 'number' ? ['ignore', stdio, stdio] : stdio,
    });
  }

  private watch(child: Supervised): void {
    const proc = child.proc;
    proc.once('exit', (code, signal) => {
      if (this.stopping || child.proc !== proc) return;
      const now = Date.now();
      child.restarts = child.restarts.filter((t) => now - t < this.opts.windowMs);
      if (child.restarts.length >= this.opts.maxRestarts) {
        const why = `${child.spec.name} exited (${exitText(code, signal)}) after ${child.restarts.length} restart(s) within ${Math.round(this.opts.windowMs / 1000)} s`;
        this.opts.log(`[supervisor] ${why}; giving up.`);
        if (!this.gaveUp) {
          this.gaveUp = true;
          this.opts.onGiveUp(child.spec.name, why);
        }
        return;
      }
      const delay = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** child.restarts.length);
      child.restarts.push(now);
      this.opts.log(
        `[supervisor] ${child.spec.name} (pid ${proc.pid}) exited (${exitText(code, signal)}); restarting in ${delay} ms ` +
          `(restart ${child.restarts.length} of at most ${this.opts.maxRestarts} within ${Math.round(this.opts.windowMs / 1000)} s); the other processes keep running.`,
      );
      child.pending = setTimeout(() => {
        child.pending = null;
        if (this.stopping) return;
        child.proc = this.spawn(child.spec);
        this.opts.log(`[supervisor] ${child.spec.name} started again (pid ${child.proc.pid}).`);
        this.watch(child);
      }, delay);
    });
  }

  /** SIGTERM to every child (they finish running jobs), resolved once all have exited. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const c of this.children) if (c.pending) clearTimeout(c.pending);
    const alive = this.children.map((c) => c.proc).filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of alive) p.kill('SIGTERM');
    await Promise.all(alive.map((p) => (p.exitCode !== null || p.signalCode !== null ? Promise.resolve(null) : new Promise((r) => p.once('exit', r)))));
  }
}
