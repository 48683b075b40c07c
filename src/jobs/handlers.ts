import { runCatalogSync } from '../catalog/mirror.ts';
import { pushProductPrices } from '../catalog/price-push.ts';
import { pushProductStock } from '../catalog/stock-push.ts';
import { createGrantTokenProvider } from '../connections/grants.ts';
import type { AppContext } from '../context.ts';
import { runBackfill, runPoll } from '../orders/sync.ts';
import { processShopWebhooks } from '../webhooks/process.ts';
import { QUEUES } from './boss.ts';
import type { JobHandlers } from './queue.ts';

export function createJobHandlers(ctx: AppContext): JobHandlers {
  return {
    [QUEUES.backfill]: async ({ connectionId }) => {
      await runBackfill(ctx, connectionId);
    },
    [QUEUES.poll]: async ({ connectionId }) => {
      await runPoll(ctx, connectionId);
    },
    [QUEUES.webhookBatch]: async ({ shopId }) => {
      await processShopWebhooks(ctx, shopId);
    },
    [QUEUES.catalogSync]: async ({ connectionId, full }) => {
      await runCatalogSync(ctx, connectionId, full);
    },
    [QUEUES.stockPush]: async ({ shopId, productId, urgent }) => {
      await pushProductStock(ctx, shopId, productId, { urgent: urgent ?? false });
    },
    [QUEUES.pricePush]: async ({ shopId, productId }) => {
      await pushProductPrices(ctx, shopId, productId);
    },
    [QUEUES.tokenRefresh]: async ({ grantId }) => {
      // getAccessToken refreshes when the token is inside the refresh-ahead window.
      await createGrantTokenProvider(ctx, grantId)
        .getAccessToken()
        .catch((error: unknown) =>
          ctx.logger.warn({ err: error, grantId }, 'scheduled token refresh failed'),
        );
    },
  };
}
