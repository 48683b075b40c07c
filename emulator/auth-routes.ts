import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { renderAuthorizePage, renderErrorPage } from './auth-page.ts';
import type { EmulatorContext } from './context.ts';
import { newRequestId, sendData, sendError } from './envelope.ts';
import { TikTokApiError } from './errors.ts';
import { createAuthCode, exchangeAuthCode, refreshGrant, tokenPayload } from './grants.ts';
import type { AppConfig, GrantRecord, SellerRecord } from './types.ts';

/** Appends the authorization result to the app's fixed redirect URL. */
export function buildRedirectUrl(
  app: AppConfig,
  params: Record<string, string | undefined>,
): string {
  const url = new URL(app.redirectUrl);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** Registers the token calls (unsigned) and the seller authorization page. */
export function registerAuthRoutes(instance: FastifyInstance, context: EmulatorContext): void {
  const formAction = `${instance.prefix}/open/authorize`;

  instance.get('/api/v2/token/get', (request, reply) =>
    sendTokens(context, request, reply, () => exchangeAuthCode(context, queryOf(request))),
  );
  instance.get('/api/v2/token/refresh', (request, reply) =>
    sendTokens(context, request, reply, () => refreshGrant(context, queryOf(request))),
  );

  instance.get('/open/authorize', (request, reply) => {
    const query = queryOf(request);
    return showAuthorizePage(context, reply, formAction, {
      serviceId: query.get('service_id'),
      sellerId: query.get('seller_id'),
      state: query.get('state'),
    });
  });

  instance.post('/open/authorize', (request, reply) => {
    const form = new URLSearchParams(
      Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '',
    );
    const app = context.store.findAppByServiceId(form.get('service_id') ?? '');
    const seller = context.store.sellers.get(form.get('seller_id') ?? '');
    if (!app || !seller) {
      return reply
        .code(400)
        .type('text/html')
        .send(
          renderErrorPage('The authorization form is invalid: open the authorization link again.'),
        );
    }
    const state = form.get('state')?.trim();
    if (form.get('decision') !== 'approve') {
      return reply.redirect(
        buildRedirectUrl(app, { code: 'null', error: 'auth_denied', state }),
        302,
      );
    }
    const shopIds = form.getAll('shop_id').filter((id) => seller.shopIds.includes(id));
    if (shopIds.length === 0) {
      return showAuthorizePage(context, reply, formAction, {
        serviceId: app.serviceId,
        sellerId: seller.id,
        state: state ?? null,
        error: 'Select at least one shop to approve.',
      });
    }
    const code = createAuthCode(context, app, seller.id, shopIds);
    context.logger?.info(
      { appKey: app.appKey, sellerId: seller.id, shopCount: shopIds.length },
      'Seller approved authorization',
    );
    return reply.redirect(buildRedirectUrl(app, { code, state }), 302);
  });
}

function queryOf(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(request.url.split('?', 2)[1] ?? '');
}

function sendTokens(
  context: EmulatorContext,
  _request: FastifyRequest,
  reply: FastifyReply,
  run: () => GrantRecord,
): FastifyReply {
  const requestId = newRequestId(context.clock.now(), context.random);
  try {
    return sendData(reply, requestId, tokenPayload(context, run()));
  } catch (error) {
    if (!(error instanceof TikTokApiError)) throw error;
    return sendError(reply, requestId, error);
  }
}

function showAuthorizePage(
  context: EmulatorContext,
  reply: FastifyReply,
  formAction: string,
  input: {
    serviceId: string | null;
    sellerId: string | null;
    state: string | null;
    error?: string;
  },
): FastifyReply {
  const app = context.store.findAppByServiceId(input.serviceId ?? '');
  if (!app) {
    const message = `service_id ${input.serviceId ?? '(missing)'} is invalid: no app has this service ID.`;
    return reply.code(404).type('text/html').send(renderErrorPage(message));
  }
  const seller = pickSeller(context, input.sellerId);
  if (!seller) {
    return reply
      .code(404)
      .type('text/html')
      .send(renderErrorPage('No seller exists: create one through the admin API first.'));
  }
  const html = renderAuthorizePage({
    app,
    seller,
    shops: seller.shopIds.map((id) => context.store.shops.get(id)!),
    otherSellers: [...context.store.sellers.values()].filter((s) => s.id !== seller.id),
    formAction,
    state: input.state?.trim() || undefined,
    error: input.error,
  });
  return reply.code(200).type('text/html; charset=utf-8').send(html);
}

function pickSeller(context: EmulatorContext, sellerId: string | null): SellerRecord | undefined {
  const { sellers } = context.store;
  if (sellerId && sellers.has(sellerId)) return sellers.get(sellerId);
  const chosen = context.store.authorizingSellerId;
  if (chosen && sellers.has(chosen)) return sellers.get(chosen);
  return sellers.values().next().value;
}
