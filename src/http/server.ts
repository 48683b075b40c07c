import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

import type { AppContext } from '../context.ts';
import { pingDatabase } from '../db/database.ts';
import { receiveWebhook } from '../webhooks/receive.ts';
import { handleError } from './errors.ts';
import { registerCatalogRoutes } from './catalog-routes.ts';
import { registerApiRoutes } from './routes.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface BuildServerOptions {
  metrics: Registry;
  /** Extra plugin mounted under a prefix, such as the embedded emulator in demo mode. */
  mounts?: { prefix: string; plugin: FastifyPluginAsync }[];
  /** Receives the response time of each webhook request in milliseconds, with its status. */
  onWebhookAnswered?: (durationMs: number, status: number) => void;
}

export async function buildServer(
  ctx: AppContext,
  options: BuildServerOptions,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
    // SKU codes of up to 128 characters travel in the path, percent-encoded.
    routerOptions: { maxParamLength: 1024 },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `There is no ${request.method} ${request.url.split('?')[0]}; the API is described at /docs.`,
        requestId: String(request.id),
      },
    });
  });
  // A DELETE or POST that names JSON but sends no body is treated as having none.
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
  // zod validates every input inside the handlers; the JSON schemas only document the API.
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'TikTok Shop Connector API',
        version: '1',
        description:
          'Stores, TikTok Shop connections, orders, and the catalog: locations, SKUs, stock, ' +
          "prices, the mirror of each shop's TikTok products and the links between them. " +
          'Amounts are decimal strings; times are Unix seconds. Authenticate with a store API key as ' +
          '`Authorization: Bearer tsk_…`, or with the dashboard session cookie.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await pingDatabase(ctx.db);
    return { status: 'ok' };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', options.metrics.contentType);
    return options.metrics.metrics();
  });

  await app.register(async (webhooks) => {
    // The signature covers the raw bytes, so this route keeps the body as a Buffer.
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    webhooks.post('/webhooks/tiktok', { schema: { hide: true } }, async (request, reply) => {
      const started = performance.now();
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers.authorization;
      const outcome = await receiveWebhook(
        ctx,
        rawBody,
        typeof header === 'string' ? header : undefined,
      );
      let status: number;
      if (outcome.kind === 'malformed') {
        status = 400;
        await reply.status(status).send({
          error: {
            code: 'VALIDATION_FAILED',
            message: `Webhook body is malformed: ${outcome.message}`,
            requestId: request.id,
          },
        });
      } else {
        // TikTok expects an empty body: 401 for a bad signature, 200 once the event is stored.
        status = outcome.kind === 'rejected_signature' ? 401 : 200;
        await reply.status(status).send();
      }
      options.onWebhookAnswered?.(performance.now() - started, status);
      return reply;
    });
  });

  registerApiRoutes(app, ctx);
  registerCatalogRoutes(app, ctx);

  for (const mount of options.mounts ?? [])
    await app.register(mount.plugin, { prefix: mount.prefix });

  if (existsSync(WEB_DIST_DIR)) {
    await app.register(fastifyStatic, { root: WEB_DIST_DIR, prefix: '/app/', wildcard: false });
    app.get('/app', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/'));
  }
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/'));
  return app;
}
