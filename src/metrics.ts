import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ConnectorMetrics {
  registry: Registry;
  tiktokRequests: Counter<'path' | 'status'>;
  webhookAnswers: Histogram<'status'>;
}

export function createMetrics(options: { collectDefaults?: boolean } = {}): ConnectorMetrics {
  const registry = new Registry();
  if (options.collectDefaults ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    tiktokRequests: new Counter({
      name: 'tts_tiktok_requests_total',
      help: 'Requests sent to TikTok Shop, by path template and HTTP status.',
      labelNames: ['path', 'status'],
      registers: [registry],
    }),
    webhookAnswers: new Histogram({
      name: 'tts_webhook_answer_seconds',
      help: 'Time from receiving a TikTok webhook to sending the response, by HTTP status.',
      labelNames: ['status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
      registers: [registry],
    }),
  };
}

/** Path with ids replaced, so metrics and counts group by endpoint. */
export const pathTemplate = (url: string): string =>
  new URL(url).pathname.replace(/\/\d{6,}(?=\/|$)/g, '/{id}');
