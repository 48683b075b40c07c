import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AdminError } from './admin.ts';
import type { EmulatorAdmin } from './admin.ts';
import type { EmulatorContext } from './context.ts';
import { toOrderPayload } from './order-payload.ts';
import { InvalidTransitionError } from './order-lifecycle.ts';
import type { OrderRecord } from './types.ts';
import type { WebhookAttempt } from './webhooks.ts';

type Body = Record<string, unknown>;
type AdminHandler = (body: Body, params: Record<string, string>) => unknown;

/** Registers the JSON admin API under /admin; it is not signed like TikTok's API. */
export function registerAdminRoutes(
  instance: FastifyInstance,
  context: EmulatorContext,
  admin: EmulatorAdmin,
  deliverDueWebhooks: () => Promise<WebhookAttempt[]>,
): void {
  const route = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    handler: AdminHandler,
  ): void => {
    instance.route({
      method,
      url: `/admin${url}`,
      handler: (request, reply) => runAdmin(context, request, reply, handler),
    });
  };
  const orderView = (order: OrderRecord): object =>
    toOrderPayload(
      order,
      context.store.shops.get(order.shopId)!,
      Math.floor(context.clock.now() / 1000),
    );
  // Admin inputs are trusted test fixtures: the admin functions check what matters.
  const input = <T>(value: unknown): T => value as T;

  route('GET', '/state', () => ({
    apps: [...context.store.apps.values()].map(
      ({ appKey, serviceId, redirectUrl, webhookUrl }) => ({
        appKey,
        serviceId,
        redirectUrl,
        webhookUrl,
      }),
    ),
    sellers: [...context.store.sellers.values()],
    shops: [...context.store.shops.values()],
    orderCount: context.store.orders.size,
    productCount: context.store.products.size,
  }));
  route('POST', '/sellers', (body) => admin.createSeller(input(body)));
  route('POST', '/shops', (body) => admin.createShop(input(body)));
  route('GET', '/shops/:shopId/warehouses', (_body, params) => ({
    warehouses: admin.listWarehouses(params.shopId!),
  }));
  route('POST', '/shops/:shopId/warehouses', (body, params) =>
    admin.addWarehouse(params.shopId!, input(body)),
  );
  route('GET', '/shops/:shopId/products', (_body, params) => ({
    products: admin.listProducts(params.shopId!),
  }));
  route('POST', '/products', (body) => admin.createProduct(input(body)));
  route('POST', '/products/bulk', (body) => {
    const products = admin.createProducts(input(body.products ?? []), {
      shouldEmitWebhooks: body.shouldEmitWebhooks === true,
    });
    return { productIds: products.map((product) => product.id) };
  });
  route('POST', '/products/generate', (body) => ({
    productIds: admin.generateProducts(input(body)).map((product) => product.id),
  }));
  route('GET', '/products/:productId', (_body, params) => admin.getProduct(params.productId!));
  route('PUT', '/products/:productId/status', (body, params) =>
    admin.setProductStatus(params.productId!, input(body.status), {
      suspendedReason: input(body.suspendedReason),
    }),
  );
  route('PUT', '/products/:productId/audit-status', (body, params) =>
    admin.setProductAuditStatus(params.productId!, input(body.status)),
  );
  route('PUT', '/products/:productId/title', (body, params) =>
    admin.editProductTitle(params.productId!, input(body.title)),
  );
  route('PUT', '/skus/:skuId/inventory', (body, params) =>
    admin.setSkuInventory(params.skuId!, input(body.inventory)),
  );
  route('POST', '/skus/:skuId/price-lock', (body, params) =>
    admin.lockSkuPrice(params.skuId!, input(body)),
  );
  route('DELETE', '/skus/:skuId/price-lock', (_body, params) =>
    admin.unlockSkuPrice(params.skuId!),
  );
  route('POST', '/orders', (body) => orderView(admin.createOrder(input(body))));
  route('POST', '/orders/bulk', (body) => {
    const orders = admin.createOrders(input(body.orders ?? []), {
      shouldEmitWebhooks: body.shouldEmitWebhooks === true,
    });
    return { orderIds: orders.map((order) => order.id) };
  });
  route('GET', '/orders/:orderId', (_body, params) => orderView(admin.getOrder(params.orderId!)));
  route('POST', '/orders/:orderId/status', (body, params) =>
    orderView(admin.moveOrder(params.orderId!, input(body.status))),
  );
  route('POST', '/orders/:orderId/ship', (body, params) =>
    orderView(admin.shipOrder(params.orderId!, input(body.lineItemIds))),
  );
  route('POST', '/orders/:orderId/cancel', (body, params) =>
    orderView(admin.cancelOrder(params.orderId!, input(body))),
  );
  route('POST', '/orders/:orderId/buyer-cancel-request', (_body, params) =>
    orderView(admin.requestBuyerCancel(params.orderId!)),
  );
  route('POST', '/tick', () => ({ released: admin.tick() }));
  route('POST', '/sellers/:sellerId/authorizing', (_body, params) => {
    admin.setAuthorizingSeller(params.sellerId!);
    return {};
  });
  route('POST', '/app-store-installs', (body) => admin.simulateAppStoreInstall(input(body)));
  route('PUT', '/apps/:appKey/webhook-url', (body, params) => {
    admin.setWebhookUrl(params.appKey!, input(body.url));
    return {};
  });
  route('POST', '/grants/expire-access-token', (body) => {
    admin.expireAccessToken(input(body));
    return {};
  });
  route('POST', '/shops/:shopId/deauthorize', (body, params) => ({
    deliveries: admin.deauthorizeShop({ appKey: input(body.appKey), shopId: params.shopId! }),
  }));
  route('POST', '/shops/:shopId/authorization-expiring', (body, params) => ({
    deliveries: admin.notifyAuthorizationExpiring({
      appKey: input(body.appKey),
      shopId: params.shopId!,
    }),
  }));
  // Sends a type 5 webhook with the given text without changing the product. PUT changes it.
  route('POST', '/products/:productId/status', (body, params) => ({
    deliveries: admin.notifyProductStatusChange({
      productId: params.productId!,
      status: input(body.status),
    }),
  }));
  route('POST', '/faults/api', (body) => {
    admin.addApiFault(input(body));
    return {};
  });
  route('PUT', '/faults/webhooks', (body) => {
    admin.setWebhookFaults(input(body));
    return {};
  });
  route('DELETE', '/faults', () => {
    admin.clearFaults();
    return {};
  });
  route('POST', '/webhooks/flush-held', () => {
    admin.flushHeldWebhooks();
    return {};
  });
  route('POST', '/webhooks/deliver', async () => ({ attempts: await deliverDueWebhooks() }));
  route('GET', '/webhooks/deliveries', () => ({
    deliveries: admin.listWebhookDeliveries(),
    attempts: admin.listWebhookAttempts(),
  }));
}

async function runAdmin(
  context: EmulatorContext,
  request: FastifyRequest,
  reply: FastifyReply,
  handler: AdminHandler,
): Promise<FastifyReply> {
  if (
    context.adminToken !== undefined &&
    request.headers.authorization !== `Bearer ${context.adminToken}`
  ) {
    return sendAdminError(
      reply,
      401,
      'admin token is missing or invalid: send authorization: Bearer <token>',
    );
  }
  let body: Body = {};
  if (Buffer.isBuffer(request.body) && request.body.length > 0) {
    try {
      body = JSON.parse(request.body.toString('utf8')) as Body;
    } catch {
      return sendAdminError(reply, 400, 'the request body is not valid JSON');
    }
  }
  try {
    const result = await handler(body, request.params as Record<string, string>);
    return reply.code(200).type('application/json').send(JSON.stringify(result));
  } catch (error) {
    context.logger?.debug({ err: error, url: request.url }, 'Admin call failed');
    if (error instanceof AdminError) return sendAdminError(reply, error.status, error.message);
    if (error instanceof RangeError || error instanceof InvalidTransitionError) {
      return sendAdminError(reply, 400, error.message);
    }
    throw error;
  }
}

function sendAdminError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json')
    .send(JSON.stringify({ error: { message } }));
}
