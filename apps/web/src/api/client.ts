import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/** Every request and response body of the API, generated from its OpenAPI document (`npm run api:types`). */
export type Schemas = components['schemas'];

/** The body of every API refusal: `message` is a sentence meant for the user. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
  requestId?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
  /** Field paths the API named, e.g. from QUESTIONNAIRE_INCOMPLETE's details.fields. */
  get fields(): { field: string; message: string }[] {
    const d = this.body.details as { fields?: { field: string; message: string }[] } | undefined;
    return Array.isArray(d?.fields) ? d.fields : [];
  }
}

// The access token lives in memory only; the refresh token is an httpOnly cookie on /api/auth.
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: () => void = () => undefined;

export function setAccessToken(token: string | null): void {
  accessToken = token;
}
export function onSessionLost(fn: () => void): void {
  onSignedOut = fn;
}

/** One refresh at a time: parallel 401s wait for the same rotation (a reused refresh token revokes the session). */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' })
    .then(async (res) => {
      if (!res.ok) return false;
      const body = (await res.json()) as { accessToken: string };
      accessToken = body.accessToken;
      return true;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const send = (req: Request) => {
    if (accessToken) req.headers.set('Authorization', `Bearer ${accessToken}`);
    return fetch(req);
  };
  const res = await send(input);
  if (res.status !== 401 || new URL(input.url).pathname.startsWith('/api/auth/')) return res;
  if (!(await refreshSession())) {
    onSignedOut();
    return res;
  }
  return send(retry);
}

/** The typed client: paths, parameters and request bodies come from the API's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authFetch, credentials: 'same-origin' });

/**
 * Unwraps an openapi-fetch result: throws ApiError with the API's sentence, or returns
 * the body, typed by the response schema the OpenAPI document declares for that path.
 */
export async function unwrap<D>(p: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  let r: { data?: D; error?: unknown; response: Response };
  try {
    r = await p;
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: 'The service could not be reached; check your connection and try again. Nothing was saved.' });
  }
  if (!r.response.ok) {
    const body = r.error as Partial<ApiErrorBody> | undefined;
    throw new ApiError(r.response.status, {
      code: body?.code ?? 'HTTP_' + r.response.status,
      message: body?.message ?? `The service answered ${r.response.status} ${r.response.statusText}.`,
      details: body?.details,
      requestId: body?.requestId,
    });
  }
  return r.data as D;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A GET through the same session handling as the typed client (bearer token, one refresh on 401), for downloads. */
export function apiFetch(path: string): Promise<Response> {
  return authFetch(new Request(new URL(path, window.location.origin), { credentials: 'same-origin' }));
}
