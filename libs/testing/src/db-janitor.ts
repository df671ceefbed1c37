import { dropDatabases, RELEASED_SUFFIX, withAdminClient } from './test-db';

/**
 * Runs in jest's main process from globalSetup to globalTeardown: drops the databases
 * test files have released (renamed `…_done`, see releaseTestDatabase) while the next
 * files run, several at once so that their DROP DATABASEs share checkpoints.
 */
export class DbJanitor {
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly prefix: string,
    private readonly everyMs = 2000,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .catch(() => undefined) // whatever is left, globalTeardown drops
        .finally(() => this.schedule());
    }, this.everyMs);
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    const names = await withAdminClient(async (c) => {
      const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND right(datname, $2) = $3`, [
        this.prefix,
        RELEASED_SUFFIX.length,
        RELEASED_SUFFIX,
      ]);
      return rows.map((r) => r.datname);
    });
    await dropDatabases(names);
  }

  /** Stops sweeping and waits for a sweep under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
  }
}
