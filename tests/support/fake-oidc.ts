/**
 * A small OpenID Connect provider for the single sign-on tests, on 127.0.0.1 and a random port:
 * discovery, a JWKS, an authorization endpoint that signs in `provider.user` at once (no page) and
 * redirects back with a code and the state, and a token endpoint that checks the client, the
 * redirect URI and the PKCE verifier and returns an ID token signed RS256 with a key made here.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';

export interface FakeUser {
  readonly sub: string;
  /** Claims besides the standard ones: email, amr, preferred_username, email_verified… */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface FakeProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Whom /authorize signs in next. */
  user: FakeUser;
  /** When set, /authorize answers with this OAuth error instead of a code. */
  error: string | undefined;
  /** The authorization requests /authorize has seen (their query parameters). */
  readonly authorizeRequests: URLSearchParams[];
  close(): Promise<void>;
}

interface IssuedCode {
  readonly user: FakeUser;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export async function startFakeProvider(options: { clientId?: string; clientSecret?: string } = {}): Promise<FakeProvider> {
  const clientId = options.clientId ?? 'onebudget-test-client';
  const clientSecret = options.clientSecret ?? 'fake-provider-client-secret';
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const server: FastifyInstance = Fastify({ logger: false });
  await server.register(fastifyFormbody);

  let issuer = '';
  const provider: FakeProvider = {
    get issuer() {
      return issuer;
    },
    clientId,
    clientSecret,
    user: { sub: 'subject-1' },
    error: undefined,
    authorizeRequests: [],
    close: () => server.close(),
  };

  const idToken = (code: IssuedCode): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const payload = {
      iss: issuer,
      sub: code.user.sub,
      aud: code.clientId,
      iat: now,
      exp: now + 300,
      ...(code.nonce === undefined ? {} : { nonce: code.nonce }),
      ...code.user.claims,
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return `${signingInput}.${b64url(crypto.sign('sha256', Buffer.from(signingInput), privateKey))}`;
  };

  server.get('/.well-known/openid-configuration', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    scopes_supported: ['openid', 'email', 'profile'],
  }));

  server.get('/jwks', async () => ({ keys: [jwk] }));

  server.get<{ Querystring: Record<string, string> }>('/authorize', async (request, reply) => {
    const query = new URLSearchParams(request.query);
    provider.authorizeRequests.push(query);
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== clientId || redirectUri === null || query.get('response_type') !== 'code') {
      return reply.code(400).send({ error: 'invalid_request' });
    }
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (provider.error !== undefined) {
      back.searchParams.set('error', provider.error);
      back.searchParams.set('error_description', 'The user said no');
      return reply.redirect(back.href, 302);
    }
    const challenge = query.get('code_challenge');
    if (challenge === null || query.get('code_challenge_method') !== 'S256') return reply.code(400).send({ error: 'invalid_request', error_description: 'PKCE required' });
    const code = crypto.randomBytes(16).toString('base64url');
    codes.set(code, { user: provider.user, clientId, redirectUri, nonce: query.get('nonce') ?? undefined, codeChallenge: challenge });
    back.searchParams.set('code', code);
    return reply.redirect(back.href, 302);
  });

  server.post<{ Body: Record<string, string> }>('/token', async (request, reply) => {
    const body = request.body;
    let [id, secret] = [body.client_id, body.client_secret];
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    if (basic?.[1] !== undefined) {
      const [user, pass] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map((p) => decodeURIComponent(p));
      [id, secret] = [user, pass];
    }
    if (id !== clientId || secret !== clientSecret) return reply.code(401).send({ error: 'invalid_client' });
    const issued = body.code === undefined ? undefined : codes.get(body.code);
    if (body.code !== undefined) codes.delete(body.code); // one use
    if (body.grant_type !== 'authorization_code' || issued === undefined || issued.redirectUri !== body.redirect_uri) {
      return reply.code(400).send({ error: 'invalid_grant' });
    }
    const challenge = crypto.createHash('sha256').update(body.code_verifier ?? '').digest('base64url');
    if (challenge !== issued.codeChallenge) return reply.code(400).send({ error: 'invalid_grant', error_description: 'PKCE verification failed' });
    return { access_token: crypto.randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken(issued) };
  });

  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  issuer = address.replace('localhost', '127.0.0.1');
  return provider;
}
