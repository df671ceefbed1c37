import { timingSafeEqual, createHash } from 'node:crypto';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { DomainError, ErrorCode } from '@app/domain';
import { AuthService } from '../auth/auth.service';
import { Public } from '../common/request-context';
import { MetricsService } from './metrics.service';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** GET /metrics for Prometheus: the scrape token (METRICS_TOKEN) or an admin's access token; nobody else. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly auth: AuthService,
  ) {}

  @Public()
  @Get('metrics')
  async scrape(@Req() req: Request, @Res() res: Response) {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1];
    if (!bearer)
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send the metrics token (METRICS_TOKEN) or an admin access token as "Authorization: Bearer <token>".');
    const token = this.config.metrics.token;
    const scraper = token !== null && timingSafeEqual(digest(bearer), digest(token));
    if (!scraper) {
      const user = await this.auth.authenticate(bearer);
      if (!user.roles.has('admin')) throw new DomainError(ErrorCode.FORBIDDEN, 'Metrics are for administrators and the Prometheus scraper.');
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
