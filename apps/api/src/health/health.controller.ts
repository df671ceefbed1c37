import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@app/config';
import { REDIS } from '@app/queue';
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
  constructor(private readonly ds: DataSource, @Inject(REDIS) private readonly redis: Redis, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** 200 when PostgreSQL and Redis answer, 503 (with which one failed) otherwise. */
  @Public() @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, redis] = await Promise.all([probe(() => this.ds.query('SELECT 1')), probe(() => this.redis.ping())]);
    const ok = database.status === 'up' && redis.status === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database: { ...database, engine: 'postgresql' }, redis, queueBackend: this.config.queueBackend };
  }
}
