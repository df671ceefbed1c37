import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config';

/** What the API's request-id middleware and auth guard leave on a request. */
type Tagged = IncomingMessage & { requestId?: string; user?: { id: string } };

/**
 * Structured JSON logs (pino): one line per request with the request id the response and
 * any error body carry (x-request-id), so a user's "request id ..." finds its log line.
 */
export function apiLogging(config: AppConfig) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => (req as Tagged).requestId ?? 'unknown',
      customProps: (req: IncomingMessage) => ({ requestId: (req as Tagged).requestId, userId: (req as Tagged).user?.id }),
      // Never log credentials or the refresh cookie.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
    },
  });
}

/** The worker has no HTTP: the same JSON logger for its Nest log lines. */
export function workerLogging(config: AppConfig) {
  return LoggerModule.forRoot({ pinoHttp: { level: config.logLevel }, forRoutes: [] });
}
