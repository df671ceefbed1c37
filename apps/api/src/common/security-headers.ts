import type { Request, RequestHandler, Response } from 'express';
import helmet, { HelmetOptions } from 'helmet';
import { AppConfig } from '@app/config';

/**
 * The response headers every answer carries, UI and API alike (docs/security.md):
 * a Content-Security-Policy that lets only this origin's scripts, styles and images run
 * (the Vite build emits external module scripts and a stylesheet, nothing inline, and
 * the Swagger UI at /api/docs loads its own files from here too) and forbids framing;
 * nosniff; a referrer policy that never sends a path to another site; HSTS only in
 * production behind an https PUBLIC_URL (on plain http it would be ignored at best and
 * would pin a test host to https at worst).
 */
export function helmetOptions(config: AppConfig): HelmetOptions {
  const https = new URL(config.publicUrl).protocol === 'https:';
  const hsts = config.nodeEnv === 'production' && https;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        // React's style={...} attributes and the Swagger UI set inline styles; no inline scripts are allowed.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // Cross-origin isolation headers would add nothing here and can break the Swagger UI.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
  };
}

/**
 * helmet's headers, worked out once: helmet runs a chain of a dozen middlewares per
 * request, each setting one header that never changes (no directive here depends on the
 * request), so its answer is recorded at startup and set in one pass. helmet stays the
 * source of every value; X-Powered-By, which it removes, is never set (the app disables
 * it). security-headers.e2e-spec compares each answer with helmet's own per-request output.
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const headers = new Map<string, string>();
  let done = false;
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  helmet(helmetOptions(config))({} as Request, recorder as unknown as Response, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    done = true;
  });
  if (!done) throw new Error('helmet did not set its headers synchronously; security headers cannot be precomputed');
  const list = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of list) res.setHeader(name, value);
    next();
  };
}
