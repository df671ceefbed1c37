import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig } from '@app/config';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '@app/persistence';
import { ssoUiConfig } from './auth/sso/sso-ui-config';

/** Where `vite build` puts the web app: dist/web, seen from dist/apps/api/src (built) or apps/api/src (ts-node, jest). */
const WEB_DIRS = [resolve(__dirname, '../../../web'), resolve(__dirname, '../../../dist/web')];

/**
 * The web UI's public settings (demo accounts are listed on the sign-in page in demo
 * mode only), and, when the web app has been built, its static files with a fallback to
 * index.html for the client-side routes. /api and /health stay the API's.
 */
export function mountWebUi(app: NestExpressApplication, config: AppConfig): void {
  app.use('/api/ui-config', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') return next();
    res.json({
      demo: config.demo,
      demoAccounts: config.demo ? DEMO_ACCOUNTS.map((a) => ({ email: a.email, name: a.name, what: a.what })) : [],
      demoPassword: config.demo ? DEMO_PASSWORD : null,
      ...ssoUiConfig(config),
    });
  });
  const dir = WEB_DIRS.find((d) => existsSync(join(d, 'index.html')));
  if (!dir) return;
  app.useStaticAssets(dir, {
    index: false,
    maxAge: '1h',
    setHeaders: (res: Response, path: string) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || /^\/(api|health|metrics|admin\/queues)(\/|$)/.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}
