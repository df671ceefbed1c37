import { Client } from 'pg';

export interface PgListenerOptions {
  /** The database to listen on (the app role's URL). */
  url: string;
  channel: string;
  /** Shown in pg_stat_activity, e.g. `trusted-research-relay-listen`. */
  applicationName: string;
  onNotify: (payload: string) => void;
  /**
   * Called when listening starts again after a lost connection or a failed start:
   * notifications sent in between are gone, so the caller catches up (polls, reconciles).
   */
  onReconnect?: () => void;
  /** Where the lost / failed / back lines go (a Nest Logger fits). */
  logger: { warn(message: string): void; log(message: string): void };
  /** What the caller does meanwhile, for the log lines, e.g. "polling". */
  fallback: string;
  /** First delay before trying again after a failure; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * `LISTEN <channel>` on a connection of its own, kept alive: if the connection drops or
 * cannot be made, it logs once, tries again after `retryMs` (doubling to `maxRetryMs`),
 * and logs when it is back, calling `onReconnect` so the caller can look for what it
 * missed. The caller keeps its own fallback (polling, a reconciler) for the time between.
 */
export class PgListener {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private delay: number;
  private stopped = false;
  /** Listening has failed since it last worked (or never worked yet). */
  private down = false;
  /** A connection attempt in progress (stop() waits for it). */
  private connecting: Promise<void> | null = null;

  constructor(private readonly o: PgListenerOptions) {
    this.delay = o.retryMs ?? 1_000;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  /** The first attempt, awaited; on failure it keeps trying in the background. */
  start(): Promise<void> {
    return this.connect();
  }

  private connect(): Promise<void> {
    if (this.stopped || this.client || this.connecting) return this.connecting ?? Promise.resolve();
    this.connecting = this.attempt().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async attempt(): Promise<void> {
    const { channel } = this.o;
    const client = new Client({ connectionString: this.o.url, application_name: this.o.applicationName });
    client.on('error', (err) => {
      if (this.client === client) {
        this.client = null;
        this.down = true;
        this.o.logger.warn(`LISTEN ${channel} connection lost (${err.message}); ${this.o.fallback} until it is back`);
        this.later();
      }
      client.end().catch(() => undefined);
    });
    client.on('notification', (n) => {
      if (!this.stopped) this.o.onNotify(n.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      if (!this.down) this.o.logger.warn(`LISTEN ${channel} failed (${(err as Error).message}); ${this.o.fallback} until it is back`);
      this.down = true;
      this.later();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delay = this.o.retryMs ?? 1_000;
    if (this.down) {
      this.down = false;
      this.o.logger.log(`LISTEN ${channel} is back`);
      this.o.onReconnect?.();
    }
  }

  private later(): void {
    if (this.stopped || this.retry) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.o.maxRetryMs ?? 10_000);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, wait);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.connecting;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
