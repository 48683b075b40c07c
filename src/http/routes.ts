import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import {
  authenticatePassword,
  consumeSignInLink,
  createApiKey,
  createSession,
  deleteSession,
  getMe,
  listApiKeys,
  requireStore,
  revokeApiKey,
} from '../accounts/accounts.ts';
import {
  claimGrant,
  disconnectShop,
  listConnections,
  listPendingGrants,
  requireConnection,
} from '../connections/connections.ts';
import { createAuthorizeUrl, handleOauthCallback } from '../connections/oauth.ts';
import type { AppContext } from '../context.ts';
import { QUEUES } from '../jobs/boss.ts';
import { getOrder, listOrders } from '../orders/queries.ts';
import { AppError } from '../shared/errors.ts';
import type { ApiKeySummary, ConnectionListResponse, CreatedApiKey } from './api-types.ts';
import { SESSION_COOKIE, authenticate, requireUser, setSessionCookie } from './auth.ts';

const storeParams = z.object({ storeId: z.string().min(1) });
const connectionParams = storeParams.extend({ connectionId: z.string().min(1) });
const sessionBody = z.object({ email: z.string().email(), password: z.string().min(1) });
const authorizeBody = z
  .object({ market: z.enum(['US', 'ROW']).default('ROW') })
  .default({ market: 'ROW' });
const claimBody = z.object({
  assignments: z
    .array(z.object({ shopId: z.string().regex(/^\d+$/), storeId: z.string().min(1) }))
    .min(1),
});
const ordersQuery = z.object({
  status: z.string().optional(),
  shopId: z.string().regex(/^\d+$/).optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
const apiKeyBody = z.object({ name: z.string().min(1).max(100) });

/** Request schemas as JSON Schema, for the OpenAPI page; zod does the validating. */
const doc = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const toApiKey = (row: {
  id: string;
  store_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
}): ApiKeySummary => ({
  id: row.id,
  storeId: row.store_id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

export function registerApiRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/session',
    { schema: { tags: ['session'], body: doc(sessionBody) } },
    async (request, reply) => {
      const { email, password } = sessionBody.parse(request.body);
      const userId = await authenticatePassword(ctx, email, password);
      setSessionCookie(ctx, reply, await createSession(ctx, userId));
      return reply.status(204).send();
    },
  );

  app.delete('/api/v1/session', { schema: { tags: ['session'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await deleteSession(ctx, token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/auth/link', { schema: { hide: true } }, async (request, reply) => {
    const { token } = z.object({ token: z.string().min(1) }).parse(request.query);
    const userId = await consumeSignInLink(ctx, token);
    setSessionCookie(ctx, reply, await createSession(ctx, userId));
    return reply.redirect('/app/');
  });

  app.get('/api/v1/api-key', { schema: { tags: ['api keys'] } }, async (request) => {
    const principal = await authenticate(ctx, request);
    if (principal.kind !== 'api_key') {
      throw new AppError(
        'FORBIDDEN',
        'This endpoint describes the API key of the request; send one as a Bearer token.',
      );
    }
    const row = await ctx.db
      .selectFrom('api_keys')
      .innerJoin('stores', 'stores.id', 'api_keys.store_id')
      .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'stores.name as storeName'])
      .where('api_keys.id', '=', principal.apiKeyId)
      .executeTakeFirstOrThrow();
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      store: { id: principal.storeId, name: row.storeName },
    };
  });

  app.get('/api/v1/me', { schema: { tags: ['session'] } }, async (request) => {
    const principal = requireUser(await authenticate(ctx, request));
    return getMe(ctx, principal.userId);
  });

  app.get(
    '/api/v1/stores/:storeId/connections',
    { schema: { tags: ['connections'] } },
    async (request) => {
      const principal = await authenticate(ctx, request);
      const { storeId } = storeParams.parse(request.params);
      return {
        connections: await listConnections(ctx, principal, storeId),
      } satisfies ConnectionListResponse;
    },
  );

  app.post(
    '/api/v1/stores/:storeId/connections/authorize',
    { schema: { tags: ['connections'], body: doc(authorizeBody) } },
    async (request) => {
      const principal = await authenticate(ctx, request);
      const { storeId } = storeParams.parse(request.params);
      const { market } = authorizeBody.parse(request.body ?? undefined);
      const { authorizeUrl, expiresAt } = await createAuthorizeUrl(ctx, principal, storeId, market);
      return { authorizeUrl, expiresAt: expiresAt.toISOString() };
    },
  );

  app.delete(
    '/api/v1/stores/:storeId/connections/:connectionId',
    { schema: { tags: ['connections'] } },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      const { storeId, connectionId } = connectionParams.parse(request.params);
      const connection = await requireConnection(ctx, principal, storeId, connectionId);
      if (connection.status !== 'disconnected')
        await disconnectShop(ctx, connection, 'disconnected by the seller');
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/stores/:storeId/connections/:connectionId/resync',
    { schema: { tags: ['connections'] } },
    async (request, reply) => {
      const principal = await authenticate(ctx, request);
      const { storeId, connectionId } = connectionParams.parse(request.params);
      const connection = await requireConnection(ctx, principal, storeId, connectionId);
      if (connection.status === 'disconnected') {
        throw new AppError(
          'CONFLICT',
          'This shop is disconnected; connect it again before re-syncing.',
        );
      }
      await ctx.db
        .updateTable('connections')
        .set({
          backfill_status: 'pending',
          backfill_windows_done: 0,
          backfill_orders: 0,
          backfill_finished_at: null,
        })
        .where('id', '=', connection.id)
        .execute();
      await ctx.jobs.send(QUEUES.backfill, { connectionId: connection.id }, connection.id);
      return reply.status(202).send({ status: 'queued' });
    },
  );

  app.get('/api/v1/grants', { schema: { tags: ['connections'] } }, async (request) => {
    const principal = requireUser(await authenticate(ctx, request));
    return { grants: await listPendingGrants(ctx, principal) };
  });

  app.post(
    '/api/v1/grants/:grantId/claim',
    { schema: { tags: ['connections'], body: doc(claimBody) } },
    async (request) => {
      const principal = requireUser(await authenticate(ctx, request));
      const { grantId } = z.object({ grantId: z.string().uuid() }).parse(request.params);
      const { assignments } = claimBody.parse(request.body);
      const rows = await claimGrant(ctx, principal, grantId, assignments);
      const storeIds = [...new Set(rows.map((row) => row.store_id))];
      const connections = (
        await Promise.all(storeIds.map((id) => listConnections(ctx, principal, id)))
      ).flat();
      return {
        connections: connections.filter((connection) =>
          rows.some((row) => row.id === connection.id),
        ),
      };
    },
  );

  app.get(
    '/api/v1/stores/:storeId/orders',
    { schema: { tags: ['orders'], querystring: doc(ordersQuery) } },
    async (request) => {
      const principal = await authenticate(ctx, request);
      const { storeId } = storeParams.parse(request.params);
      return listOrders(ctx, principal, storeId, ordersQuery.parse(request.query));
    },
  );

  app.get(
    '/api/v1/stores/:storeId/orders/:orderId',
    { schema: { tags: ['orders'] } },
    async (request) => {
      const principal = await authenticate(ctx, request);
      const { storeId, orderId } = storeParams
        .extend({ orderId: z.string().min(1) })
        .parse(request.params);
      return getOrder(ctx, principal, storeId, orderId);
    },
  );

  app.get(
    '/api/v1/stores/:storeId/api-keys',
    { schema: { tags: ['api keys'] } },
    async (request) => {
      const principal = requireUser(await authenticate(ctx, request));
      const { storeId } = storeParams.parse(request.params);
      await requireStore(ctx, principal, storeId);
      return { apiKeys: (await listApiKeys(ctx, storeId)).map(toApiKey) };
    },
  );

  app.post(
    '/api/v1/stores/:storeId/api-keys',
    { schema: { tags: ['api keys'], body: doc(apiKeyBody) } },
    async (request, reply) => {
      const principal = requireUser(await authenticate(ctx, request));
      const { storeId } = storeParams.parse(request.params);
      await requireStore(ctx, principal, storeId);
      const { name } = apiKeyBody.parse(request.body);
      const created = await createApiKey(ctx, storeId, name);
      return reply
        .status(201)
        .send({ ...toApiKey(created), key: created.key } satisfies CreatedApiKey);
    },
  );

  app.delete(
    '/api/v1/stores/:storeId/api-keys/:apiKeyId',
    { schema: { tags: ['api keys'] } },
    async (request, reply) => {
      const principal = requireUser(await authenticate(ctx, request));
      const { storeId, apiKeyId } = storeParams
        .extend({ apiKeyId: z.string().uuid() })
        .parse(request.params);
      await requireStore(ctx, principal, storeId);
      await revokeApiKey(ctx, storeId, apiKeyId);
      return reply.status(204).send();
    },
  );

  app.get('/oauth/tiktok/callback', { schema: { hide: true } }, async (request, reply) => {
    const query = z
      .object({
        code: z.string().optional(),
        state: z.string().optional(),
        error: z.string().optional(),
      })
      .parse(request.query);
    const result = await handleOauthCallback(ctx, query);
    if (result.kind === 'denied') return reply.redirect('/app/#/connections?authorization=denied');
    if (result.isReauthorization) return reply.redirect('/app/#/connections?authorization=renewed');
    return reply.redirect(`/app/#/grants/${result.grantId}`);
  });
}
