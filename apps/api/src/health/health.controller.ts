import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { QUEUE_BACKEND_PROBE, QueueBackendProbe } from '@app/queue';
import { AuthService } from '../auth/auth.service';
import { Public } from '../common/request-context';

async function probe(fn: () => Promise<unknown>): Promise<{ status: 'up' | 'down'; latencyMs?: number; error?: string }> {
  const t0 = performance.now();
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000))]);
    return { status: 'up', latencyMs: Math.round((performance.now() - t0) * 10) / 10 };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  private serverVersion: string | undefined;

  constructor(
    private readonly ds: DataSource,
    @Inject(QUEUE_BACKEND_PROBE) private readonly queue: QueueBackendProbe,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {}

  /**
   * In production an anonymous caller learns only up or down: which database, where it
   * is and what versions run are details for an administrator (a bearer token with the
   * admin role). Demo mode shows everyone everything.
   */
  private async showsDetails(req: Request): Promise<boolean> {
    if (this.config.nodeEnv !== 'production') return true;
    const m = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '');
    if (!m) return false;
    const user = await this.auth.authenticate(m[1]).catch(() => null);
    return !!user?.roles.has('admin');
  }

  /**
   * 200 when PostgreSQL and the queue backend answer, 503 (with which one failed)
   * otherwise. Says which database (the embedded demo one or a server) and which queue
   * backend are in use; on the postgres backend there is no Redis to ask.
   */
  @Public()
  @Get()
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const [database, queue] = await Promise.all([
      probe(async () => {
        const [row] = await this.ds.query<({ v: string } | undefined)[]>(`SELECT current_setting('server_version') AS v`);
        this.serverVersion = row?.v;
      }),
      probe(() => this.queue.ping()),
    ]);
    const ok = database.status === 'up' && queue.status === 'up';
    res.status(ok ? 200 : 503);
    if (!(await this.showsDetails(req))) return { status: ok ? 'ok' : 'degraded' };
    const u = new URL(this.config.database.url);
    const body: Record<string, unknown> = {
      status: ok ? 'ok' : 'degraded',
      database: {
        ...database,
        engine: 'postgresql',
        kind: this.config.database.embedded ? 'embedded' : 'server',
        version: this.serverVersion,
        at: `${u.hostname}:${u.port || 5432}${u.pathname}`,
      },
      queue: { ...queue, backend: this.queue.backend, at: this.queue.where },
      queueBackend: this.queue.backend,
    };
    // Kept for monitors written against the redis-only health body.
    if (this.queue.backend === 'redis') body.redis = queue;
    return body;
  }
}
