import type { Random } from './random.ts';

/** An injected failure or slowdown on business API calls. */
export interface ApiFaultRule {
  kind: 'rate_limit' | 'server_error' | 'latency';
  /** HTTP status of a server error. @default 500 */
  status?: 500 | 503;
  /** Added delay in real milliseconds, for `latency`. @default 0 */
  latencyMs?: number;
  /** Share of matching calls affected, 0 to 1. Ignored while `next` is set. */
  fraction?: number;
  /** Affect exactly the next N matching calls, then stop. */
  next?: number;
  /**
   * Only calls to this path (without prefix), or to this endpoint path with `{name}` segments
   * such as `/product/202309/products/{product_id}`. All paths match when unset.
   */
  path?: string;
}

/** Injected webhook delivery faults; all off by default. */
export interface WebhookFaults {
  /** Share of webhooks never sent, 0 to 1. @default 0 */
  dropFraction?: number;
  /** Share of webhooks sent twice with the same tts_notification_id. @default 0 */
  duplicateFraction?: number;
  /** Clock milliseconds added before the first attempt. @default 0 */
  delayMs?: number;
  /** Hold webhooks until this many are waiting, then release them shuffled. @default off */
  reorderBatchSize?: number;
}

/** The effect of the API fault rules on one call. */
export interface ApiFaultEffect {
  latencyMs: number;
  rejection?: 'rate_limit' | 500 | 503;
}

/** Holds the injected faults and decides, with a seedable PRNG, which calls they hit. */
export class FaultController {
  apiRules: ApiFaultRule[] = [];
  webhook: WebhookFaults = {};

  constructor(private readonly random: Random) {}

  /** Adds an API fault rule; rules with `next` remove themselves once used up. */
  addApiFault(rule: ApiFaultRule): void {
    this.apiRules.push({ ...rule });
  }

  setWebhookFaults(faults: WebhookFaults): void {
    this.webhook = { ...faults };
  }

  clear(): void {
    this.apiRules = [];
    this.webhook = {};
  }

  /** Decides the faults of one API call to `path`, served by the endpoint path `template`. */
  evaluateApiCall(path: string, template = path): ApiFaultEffect {
    const effect: ApiFaultEffect = { latencyMs: 0 };
    for (const rule of this.apiRules) {
      if (rule.path !== undefined && rule.path !== path && rule.path !== template) continue;
      if (!this.isTriggered(rule)) continue;
      if (rule.kind === 'latency') effect.latencyMs += rule.latencyMs ?? 0;
      else effect.rejection ??= rule.kind === 'rate_limit' ? 'rate_limit' : (rule.status ?? 500);
    }
    this.apiRules = this.apiRules.filter((rule) => rule.next === undefined || rule.next > 0);
    return effect;
  }

  shouldDropWebhook(): boolean {
    return this.random.chance(this.webhook.dropFraction ?? 0);
  }

  shouldDuplicateWebhook(): boolean {
    return this.random.chance(this.webhook.duplicateFraction ?? 0);
  }

  private isTriggered(rule: ApiFaultRule): boolean {
    if (rule.next !== undefined) {
      if (rule.next <= 0) return false;
      rule.next--;
      return true;
    }
    return this.random.chance(rule.fraction ?? 1);
  }
}
