/**
 * Static assets: govuk-frontend's images and JavaScript, our own small files, and govuk-frontend's
 * stylesheet with the GDS Transport typeface taken out. That typeface is licensed only for GOV.UK
 * services, so a council service uses Arial, as the Design System advises (docs/decisions).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const require = createRequire(import.meta.url);
export const GOVUK_DIST = path.resolve(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const GOVUK_DIR = path.join(GOVUK_DIST, 'govuk');
const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

export function councilStylesheet(): string {
  const css = fs.readFileSync(path.join(GOVUK_DIR, 'govuk-frontend.min.css'), 'utf8');
  return css
    .replace(/@font-face\{[^}]*\}/g, '')
    .replaceAll('font-family:GDS Transport,arial,sans-serif', 'font-family:arial,sans-serif')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//, '');
}

export async function registerAssets(app: FastifyInstance): Promise<void> {
  const stylesheet = councilStylesheet();
  app.get('/assets/govuk-frontend.min.css', { config: { access: 'public', audit: null } }, async (_request, reply) => {
    return reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(stylesheet);
  });
  await app.register(fastifyStatic, {
    root: [path.join(GOVUK_DIR, 'assets'), GOVUK_DIR],
    prefix: '/assets/',
    maxAge: '1d',
    allowedPath: (pathName) => /^\/(images\/[\w.-]+|manifest\.json|govuk-frontend\.min\.js)$/.test(pathName),
  });
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/assets/app/',
    decorateReply: false,
    maxAge: '1h',
  });
}
