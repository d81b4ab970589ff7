/**
 * buildApp(services, config) → a Fastify instance with every page and API route. No module-level
 * state: tests build as many apps as they like, each with its own services.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifyView from '@fastify/view';
import nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { Services } from '../services/index.ts';
import { mayDo, type Actor } from '../domain/access/policy.ts';
import { ForbiddenError, NotFoundError, StepUpRequiredError } from '../services/errors.ts';
import { GOVUK_DIST, registerAssets } from './assets.ts';
import { isApiRequest, sendProblem } from './problem.ts';
import { API_TOKEN_SCHEME_DESCRIPTION, bearerToken, refuseScope, refuseToken, sendUnauthorised } from './api-auth.ts';
import { paths } from './paths.ts';
import type { RouteDeclaration } from './route-config.ts';
import { registerPages } from './pages/index.ts';
import { myPeopleTitle } from './pages/my-people/presenters.ts';
import { govukTableGlobal } from './views/govuk-table.ts';
import { registerGovukMacros } from './views/govuk-macros.ts';
import { registerApi } from '../api/v1/index.ts';

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
/**
 * The one inline script of GOV.UK Frontend's page template (it marks the page as having JavaScript),
 * allowed by the SHA-256 of its text rather than a nonce per response: the same protection (nothing
 * else inline runs), without making random bytes and rebuilding the policy for every page, which
 * was about a tenth of the server's time per page. Read from the installed template, so an upgrade
 * of govuk-frontend cannot leave a stale hash. Decision 0021.
 */
export const GOVUK_INLINE_SCRIPT_HASH = ((): string => {
  const template = fs.readFileSync(path.join(GOVUK_DIST, 'govuk', 'template.njk'), 'utf8');
  const scripts = [...template.matchAll(/<script[^>]*>([^<]+)<\/script>/g)].map((m) => m[1] ?? '');
  if (scripts.length !== 1 || scripts[0] === undefined) throw new Error(`Expected one inline script in the GOV.UK template, found ${scripts.length}`);
  return `'sha256-${crypto.createHash('sha256').update(scripts[0]).digest('base64')}'`;
})();
/** The pages the Money item of the menu leads to, so it shows as the current section on them. */
const MONEY_PAGES = ['/money', '/payment-runs', '/finance/', '/recoveries', '/settings/money'];
const FALLBACK_ERROR_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem with the service – OneBudget</title></head>' +
  '<body><main><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></main></body></html>';

/** A route as it declared itself: what the authorisation matrix test walks through. */
export interface DeclaredRoute extends RouteDeclaration {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly declaredRoutes: readonly DeclaredRoute[];
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
    errorPageFailed: boolean | undefined;
  }
  interface FastifyReply {
    /** Renders a page inside the layout, with the navigation and CSRF token the layout needs. */
    page(template: string, model: Record<string, unknown>): FastifyReply;
  }
}

export function sessionCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-onebudget_session' : 'onebudget_session';
}

/** The cookie of a pending sign-in: a correct password waiting for its second factor. */
export function pendingSignInCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-onebudget_sign_in' : 'onebudget_sign_in';
}

export async function buildApp(services: Services, config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    genReqId: () => crypto.randomUUID(),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const secure = config.env === 'production';
  const cookieName = sessionCookieName(config);

  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('errorPageFailed', undefined);

  // Every route must say who may call it. Static file routes are public by nature.
  const declaredRoutes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declaredRoutes);
  app.addHook('onRoute', (route) => {
    const declared = route.config as Partial<RouteDeclaration> | undefined;
    const isStatic = route.url.startsWith('/assets/') && declared?.access === undefined;
    if (isStatic || route.method === 'HEAD') return;
    if (declared?.access === undefined || declared.audit === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} must declare config.access and config.audit`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') declaredRoutes.push({ method, url: route.url, access: declared.access, audit: declared.audit });
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", GOVUK_INLINE_SCRIPT_HASH],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody);
  // File uploads (an allocation model's JSON, a calibration test group's CSV): the fields, the file
  // included as a Buffer, arrive in request.body like any form, so the CSRF check reads `_csrf` as usual.
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 20 } });
  await app.register(fastifyCsrf, {
    cookieKey: secure ? '__Host-onebudget_csrf' : 'onebudget_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OneBudget API',
        version: '1.0.0',
        description:
          'The OneBudget JSON API. Errors are application/problem+json (RFC 9457). Money is in integer pence.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: cookieName, description: 'The session cookie set at sign-in.' },
          bearer: { type: 'http', scheme: 'bearer', description: API_TOKEN_SCHEME_DESCRIPTION },
        },
      },
    },
    hideUntagged: true,
  });

  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [WEB_DIR, GOVUK_DIST],
    options: {
      autoescape: true,
      throwOnUndefined: false,
      noCache: config.env === 'development',
      onConfigure: (env: nunjucks.Environment) => {
        env.addGlobal('govukTableHtml', govukTableGlobal);
        registerGovukMacros(env, GOVUK_DIST);
        env.addFilter('errorList', (errors: readonly { field: string; text: string }[]) =>
          errors.map((e) => ({ text: e.text, href: `#${e.field}` })),
        );
        env.addFilter('errorFor', (errors: readonly { field: string; text: string }[], field: string) =>
          errors.find((e) => e.field === field)?.text,
        );
      },
    },
  });

  app.decorateReply('page', function page(this: FastifyReply, template: string, model: Record<string, unknown>) {
    const request = this.request;
    const actor = request.actor;
    const current = request.url.split('?')[0] ?? '/';
    const nav = (href: string, text: string, active: boolean) => ({ href, text, active, current: active });
    const navigation = actor
      ? [
          nav(paths.home(), 'Home', current === '/'),
          // Commissioners have no caseload, only the timeliness report's figures.
          ...(mayDo(actor, 'cases:list')
            ? [nav(paths.cases.caseload(), 'Caseload', current.startsWith('/cases'))]
            : mayDo(actor, 'cases:report')
              ? [nav(paths.cases.timeliness(), 'EHC timeliness', current.startsWith('/cases/timeliness'))]
              : []),
          ...(mayDo(actor, 'people:list') ? [nav(paths.people.index(), 'People', current.startsWith('/people'))] : []),
          ...(mayDo(actor, 'my-people:list')
            ? [nav(paths.myPeople(), myPeopleTitle(actor), current.startsWith('/my-people') || current.startsWith('/people'))]
            : []),
          nav(paths.council.localOffer({ slug: actor.councilSlug }), 'Local Offer', current.includes('/local-offer')),
          // Allocation: the models for administrators, the what-if for commissioners, the exceptional cases for approvers.
          ...(mayDo(actor, 'allocation-models:manage')
            ? [nav(paths.allocation.models(), 'Allocation', current.startsWith('/allocation'))]
            : mayDo(actor, 'allocation:analyse')
              ? [nav(paths.allocation.impact(), 'Allocation', current.startsWith('/allocation'))]
              : mayDo(actor, 'allocation:decide-exception')
                ? [nav(paths.allocation.exceptions(), 'Exceptional cases', current.startsWith('/allocation'))]
                : []),
          ...(mayDo(actor, 'plan:approve') ? [nav(paths.signOff.queue(), 'Sign-off', current.startsWith('/sign-off'))] : []),
          ...(mayDo(actor, 'money:hub') ? [nav(paths.money(), 'Money', MONEY_PAGES.some((prefix) => current.startsWith(prefix)))] : []),
          ...(mayDo(actor, 'accounts:manage') ? [nav(paths.accountAdmin.index(), 'Accounts', current.startsWith('/accounts'))] : []),
          ...(mayDo(actor, 'audit:search') ? [nav(paths.audit.index(), 'Audit log', current.startsWith('/audit'))] : []),
          nav(paths.account.show(), 'Your account', current.startsWith('/account')),
        ]
      : [nav(paths.home(), 'Home', current === '/'), nav(paths.signIn(), 'Sign in', current === paths.signIn())];
    if (actor !== undefined) this.header('cache-control', 'no-store');
    return this.view(template, {
      ...model,
      navigation,
      csrfToken: this.generateCsrf(),
      signOut: actor ? { href: paths.signOut(), name: actor.displayName } : undefined,
      actor,
    });
  });

  // Who is asking: the session cookie, if any, names a staff member. Before the body is validated,
  // so that an API call nobody may make is refused (401/403) rather than told its body is wrong.
  app.addHook('preValidation', async (request, reply) => {
    const declared = request.routeOptions.config as Partial<RouteDeclaration>;
    if (declared.access === undefined) return; // static files
    // On the JSON API only, an API token (Authorization: Bearer) names a machine client; it wins over a cookie.
    const bearer = isApiRequest(request) ? bearerToken(request.headers.authorization) : undefined;
    const signed = bearer === undefined ? request.cookies[cookieName] : undefined;
    const unsigned = signed === undefined ? undefined : request.unsignCookie(signed);
    const token = unsigned?.valid ? (unsigned.value ?? undefined) : undefined;
    if (token !== undefined) {
      request.actor = await services.auth.resolve(token);
      request.sessionToken = request.actor ? token : undefined;
    }
    if (bearer !== undefined) {
      const resolved = await services.apiTokens.resolve(bearer);
      if (!resolved.ok) return refuseToken(request, reply, resolved.reason);
      request.actor = resolved.actor;
    }
    if (declared.access === 'public') return;
    if (request.actor === undefined) {
      if (isApiRequest(request)) return sendUnauthorised(request, reply, 'Sign in first: this endpoint needs a session or an API token.');
      // A cookie whose session has ended (idle too long, 12 hours old, ended elsewhere): say so.
      return reply.redirect(paths.signIn({ returnTo: request.url, sessionEnded: token !== undefined }), 303);
    }
    if (request.actor.kind === 'client' && (declared.access === 'signed-in' || !mayDo(request.actor, declared.access))) {
      return refuseScope(request, reply, declared.access);
    }
    if (declared.access !== 'signed-in' && !mayDo(request.actor, declared.access)) {
      if (isApiRequest(request)) return sendProblem(request, reply, 403, 'Your role does not allow this.');
      reply.code(403);
      return reply.page('views/errors/forbidden.njk', { title: 'You do not have permission to see this page' });
    }
  });

  // Every form that changes something carries a CSRF token (checked after the body is parsed). The
  // JSON API is exempt unless a session cookie authenticated the request: a browser sends cookies by
  // itself, never an Authorization header.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD' || (isApiRequest(request) && request.sessionToken === undefined)) return done();
    app.csrfProtection(request, reply, done);
  });

  // Set before any route: Fastify binds each route to the error handler in force when it is added.
  app.setErrorHandler(async (error: Error & { statusCode?: number; validation?: unknown; code?: string }, request, reply) => {
    let status = 500;
    let detail = 'Something went wrong on our side. Try again later.';
    if (error instanceof StepUpRequiredError && !isApiRequest(request) && request.actor !== undefined && !reply.sent) {
      // Back to the page the form was on (same site only) once the code is given.
      const referer = typeof request.headers.referer === 'string' ? safeReferer(request.headers.referer, request.host) : undefined;
      return reply.redirect(paths.stepUp({ returnTo: request.method === 'GET' ? request.url : referer }), 303);
    }
    if (error instanceof NotFoundError) [status, detail] = [404, error.detail];
    else if (error instanceof StepUpRequiredError) [status, detail] = [403, error.detail];
    else if (error instanceof ForbiddenError) [status, detail] = [403, error.detail];
    else if (error.validation !== undefined) [status, detail] = [400, error.message];
    else if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      detail = error.code?.startsWith('FST_CSRF') ? 'The form had expired. Go back, reload the page and try again.' : error.message;
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status, code: error.code }, 'request refused');
    if (isApiRequest(request)) return sendProblem(request, reply, status, detail);
    reply.code(status);
    if (reply.sent || request.raw.destroyed) return reply;
    if (request.errorPageFailed === true) {
      // The error page itself failed to render: answer with a bare page that cannot fail.
      return reply.type('text/html; charset=utf-8').send(FALLBACK_ERROR_PAGE);
    }
    request.errorPageFailed = true;
    if (status === 404) return reply.page('views/errors/not-found.njk', { title: 'Page not found' });
    if (status === 403 && error.code?.startsWith('FST_CSRF') !== true) {
      return reply.page('views/errors/forbidden.njk', { title: 'You do not have permission to see this page' });
    }
    if (status < 500) return reply.page('views/errors/bad-request.njk', { title: 'There is a problem with your request', detail });
    return reply.page('views/errors/problem.njk', { title: 'Sorry, there is a problem with the service', requestId: request.id });
  });

  await registerAssets(app);
  app.get(paths.health(), { config: { access: 'public', audit: null } }, async () => ({
    status: 'ok',
    uptimeSeconds: Math.round(process.uptime()),
  }));
  app.get(paths.ready(), { config: { access: 'public', audit: null } }, async (request, reply) => {
    if (await services.health.databaseReady()) return { status: 'ready', database: services.engine };
    return sendProblem(request, reply, 503, 'The database is not reachable.');
  });
  await registerPages(app, services, { cookieName, pendingCookieName: pendingSignInCookieName(config), secure });
  await app.register(async (api) => registerApi(api, services, { rateLimitPerMinute: config.apiRateLimitPerMinute }), { prefix: '/api/v1' });

  app.setNotFoundHandler(async (request, reply) => {
    if (isApiRequest(request)) return sendProblem(request, reply, 404, `There is no API endpoint at ${request.method} ${request.url.split('?')[0]}.`);
    reply.code(404);
    return reply.page('views/errors/not-found.njk', { title: 'Page not found' });
  });

  return app;
}

/** The path of a Referer on this same host, or undefined: never send anyone to another site. */
function safeReferer(referer: string, host: string): string | undefined {
  try {
    const url = new URL(referer);
    return url.host === host ? `${url.pathname}${url.search}` : undefined;
  } catch {
    return undefined;
  }
}
