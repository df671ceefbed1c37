import { Controller, HttpCode, Inject, Injectable, OnModuleInit, Post, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@app/config';
import { QueueName } from '@app/queue';
import { AuthService } from '../auth/auth.service';
import { CurrentUser, RequireRoles, User } from '../common/request-context';
import { MetricsService } from '../metrics/metrics.service';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'tr_queue_board';
const TTL_SECONDS = 15 * 60;

/**
 * Bull Board for admins, behind the app's own sign-in. The board is a page of its own that
 * calls its own API, so it cannot send the SPA's in-memory bearer token: an admin first asks
 * for a short-lived board session (POST, bearer-authenticated, admin only), kept in an
 * httpOnly cookie scoped to the board's path; every board request re-checks that the user is
 * still an active admin. Works on both queue backends (BullMQ 6 Queues; on PostgreSQL the
 * board shows the database's stats instead of Redis's).
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly host: HttpAdapterHost,
    private readonly metrics: MetricsService,
    private readonly auth: AuthService,
  ) {}

  /** The board's router, built on the first admin request to it (see onModuleInit). */
  private board: Promise<RequestHandler> | null = null;

  onModuleInit(): void {
    // Bull Board (its UI, templates and a connection per queue) is built when an admin first
    // opens it, not at boot: ~10 MB of RSS a process serving case commands never needs
    // (issue 17, RSS). The guard runs first, so only an admin's request builds it.
    const app = this.host.httpAdapter.getInstance<Express>();
    app.use(QUEUE_BOARD_PATH, this.guard, (req: Request, res: Response, next: NextFunction) => {
      this.board ??= this.build();
      this.board.then(
        (router) => router(req, res, next),
        (err: unknown) => {
          this.board = null;
          next(err);
        },
      );
    });
  }

  private async build(): Promise<RequestHandler> {
    const { createBullBoard } = await import('@bull-board/api');
    const { BullMQAdapter } = await import('@bull-board/api/bullMQAdapter');
    const { ExpressAdapter } = await import('@bull-board/express');
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    // AnyQueue is BullMQ's Queue with `any` job data (jobs of every kind share it); the board only reads them.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument
    const queues = await Promise.all(Object.values(QueueName).map(async (n) => new BullMQAdapter(await this.metrics.queue(n), { readOnlyMode: false })));
    createBullBoard({ queues, serverAdapter, options: { uiConfig: { boardTitle: 'Trusted Research queues' } } });
    return serverAdapter.getRouter() as RequestHandler;
  }

  private readonly guard = (req: Request, res: Response, next: NextFunction): void => {
    const token = (req.cookies as Record<string, string> | undefined)?.[COOKIE];
    const refuse = (status: number, message: string) => res.status(status).type('text/plain').send(message);
    if (!token) {
      refuse(401, 'Open the queue board from the Trusted Research admin menu (it needs an admin session).');
      return;
    }
    this.auth.authenticate(token).then(
      (user) => {
        if (!user.roles.has('admin')) refuse(403, 'The queue board is for administrators.');
        else next();
      },
      () => refuse(401, 'The queue board session has expired: open it again from the admin menu.'),
    );
  };

  cookie(res: Response, token: string): void {
    res.cookie(COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.nodeEnv === 'production',
      path: QUEUE_BOARD_PATH,
      maxAge: TTL_SECONDS * 1000,
    });
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/queue-board')
export class QueueBoardController {
  constructor(
    private readonly board: QueueBoard,
    private readonly jwt: JwtService,
  ) {}

  @Post('session')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: `A 15-minute session cookie for the queue board at ${QUEUE_BOARD_PATH} (admins)` })
  async session(@User() user: CurrentUser, @Res({ passthrough: true }) res: Response) {
    // The board session belongs to the caller's session: signing out ends it too.
    this.board.cookie(res, await this.jwt.signAsync({ sub: user.id, sid: user.sessionId }, { expiresIn: TTL_SECONDS }));
    return { url: QUEUE_BOARD_PATH, expiresIn: TTL_SECONDS };
  }
}
