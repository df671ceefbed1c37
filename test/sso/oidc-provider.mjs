/**
 * A real OpenID provider for the SSO tests: node-oidc-provider (a certified
 * implementation) in its own Node process, since it ships as ES modules only.
 *
 *   node test/sso/oidc-provider.mjs '<json>'   json: { redirectUri, postLogoutRedirectUri, accounts: { login: claims } }
 *
 * Prints "READY <issuer>" when listening. Its development login page accepts any
 * password; the login name picks the account. GET /__test/tamper?mode=signature|nonce|none
 * turns on an attacker in the middle: `signature` adds a group to the ID token's payload after
 * it was signed, `nonce` swaps the nonce of the next authorisation request for another.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const opts = JSON.parse(process.argv[2] ?? '{}');
const server = createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
const accounts = new Map(Object.entries(opts.accounts ?? {}));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'trusted-research',
      client_secret: 'test-client-secret',
      redirect_uris: [opts.redirectUri],
      post_logout_redirect_uris: opts.postLogoutRedirectUri ? [opts.postLogoutRedirectUri] : [],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(16).toString('hex')] },
  // Like Entra ID: the profile claims, groups included, ride in the ID token as well.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'groups', 'department'],
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = accounts.get(id) ?? {};
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...claims };
      },
    };
  },
});

let tamper = 'none';
provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/tamper') {
    tamper = String(ctx.query.mode ?? 'none');
    ctx.body = { tamper };
    return;
  }
  if (tamper === 'nonce' && ctx.path === '/auth' && ctx.query.nonce) {
    const q = new URLSearchParams(ctx.querystring);
    q.set('nonce', 'nonce-of-another-session');
    ctx.querystring = q.toString();
  }
  await next();
  if (tamper === 'signature' && ctx.path === '/token' && ctx.body && typeof ctx.body === 'object' && ctx.body.id_token) {
    const [h, p, s] = ctx.body.id_token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.groups = [...(payload.groups ?? []), 'export-team'];
    ctx.body = { ...ctx.body, id_token: [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.') };
  }
});

server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
