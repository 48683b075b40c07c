import { describe, expect, it } from 'vitest';

import { TikTokApiError } from './errors.ts';
import { normalizeOrderStatus } from './payloads.ts';
import { parseWebhookEvent, signWebhook, verifyWebhookSignature } from './webhook.ts';

const APP_KEY = '6d1examplek3y';
const APP_SECRET = 'e1a7c0ffee0000000000000000000000000000ab';

// Exact bytes as delivered: spaces after separators and a \u00e9 escape.
const UNICODE_BODY = String.raw`{"type": 1, "tts_notification_id": "7327000000000000001", "shop_id": "7495000000000000001", "timestamp": 1700000300, "data": {"is_on_hold_order": false, "order_id": "576000000000000001", "order_status": "AWAITING_SHIPMENT", "update_time": 1700000290, "note": "Caf\u00e9"}}`;
const UNICODE_BODY_SIGNATURE = '15d7919bd2a7da1c64dbf355feb03c781e4fd5b559ed28a2323ddb7476e988ce';

function verify(rawBody: Buffer | string, signature: string | undefined): boolean {
  return verifyWebhookSignature({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody, signature });
}

describe('webhook signature published vectors', () => {
  it('matches the official vector', () => {
    const rawBody =
      '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}';
    const signature = '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05';
    expect(signWebhook({ appKey: 'abcdef', appSecret: '123', rawBody })).toBe(signature);
    expect(verifyWebhookSignature({ appKey: 'abcdef', appSecret: '123', rawBody, signature })).toBe(
      true,
    );
  });

  it('matches the made-up vector', () => {
    const rawBody =
      '{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1718000000,"data":{"order_id":"576461413038785752","order_status":"AWAITING_SHIPMENT","is_on_hold_order":false,"update_time":1718000000}}';
    const signature = '47f877ce0b5c6f637b0779686f34ac818866c21fa351fcb15c0083c9385b4949';
    expect(signWebhook({ appKey: 'demoappkey', appSecret: 'demosecret123', rawBody })).toBe(
      signature,
    );
    expect(
      verifyWebhookSignature({
        appKey: 'demoappkey',
        appSecret: 'demosecret123',
        rawBody,
        signature,
      }),
    ).toBe(true);
  });
});

describe('webhook verification over raw bytes', () => {
  it('accepts the raw unicode-escaped body', () => {
    expect(verify(UNICODE_BODY, UNICODE_BODY_SIGNATURE)).toBe(true);
  });

  it('accepts the raw body as a Buffer', () => {
    expect(verify(Buffer.from(UNICODE_BODY, 'utf8'), UNICODE_BODY_SIGNATURE)).toBe(true);
  });

  it('accepts upper-case hex', () => {
    expect(verify(UNICODE_BODY, UNICODE_BODY_SIGNATURE.toUpperCase())).toBe(true);
  });

  it('rejects a re-serialized body', () => {
    const reserialized = JSON.stringify(JSON.parse(UNICODE_BODY));
    expect(reserialized).toContain('Café');
    expect(signWebhook({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: reserialized })).toBe(
      '7207516c949c7f0d286f830915f92a4adb9114e30bb2e95010cc5ab9b62ae99d',
    );
    expect(verify(reserialized, UNICODE_BODY_SIGNATURE)).toBe(false);
  });

  it('rejects a tampered body', () => {
    const tampered = UNICODE_BODY.replace('"AWAITING_SHIPMENT"', '"CANCELLED"');
    expect(signWebhook({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: tampered })).toBe(
      '103bc7190f136288331a000874fe91eecb3fd8a4a8a5d27feb60bb689027af9a',
    );
    expect(verify(tampered, UNICODE_BODY_SIGNATURE)).toBe(false);
  });
});

describe('webhook verification of wrong schemes', () => {
  it('rejects the signature without app_key prefix', () => {
    const noPrefix = 'e063418a2b9d6a5ff9478be1201bac4e9c8332862b62c83e10ad52d99fd7eab9';
    expect(signWebhook({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: UNICODE_BODY })).not.toBe(
      noPrefix,
    );
    expect(verify(UNICODE_BODY, noPrefix)).toBe(false);
  });

  it('rejects the TikTok for Developers scheme', () => {
    const timestampDotBody = '917499e1e8d889e0f4b01c968873ed1c5cd54369a01291b0a5e7544e76e5223d';
    expect(verify(UNICODE_BODY, timestampDotBody)).toBe(false);
    expect(verify(UNICODE_BODY, `t=1700000300,s=${timestampDotBody}`)).toBe(false);
  });

  it('rejects prefixed headers', () => {
    expect(verify(UNICODE_BODY, `Bearer ${UNICODE_BODY_SIGNATURE}`)).toBe(false);
    expect(verify(UNICODE_BODY, `sha256=${UNICODE_BODY_SIGNATURE}`)).toBe(false);
  });

  it('rejects a missing or empty header', () => {
    expect(verify(UNICODE_BODY, undefined)).toBe(false);
    expect(verify(UNICODE_BODY, '')).toBe(false);
  });

  it('rejects when no app secret is configured', () => {
    for (const appSecret of [undefined, '']) {
      expect(
        verifyWebhookSignature({
          appKey: APP_KEY,
          appSecret,
          rawBody: UNICODE_BODY,
          signature: UNICODE_BODY_SIGNATURE,
        }),
      ).toBe(false);
    }
  });

  it('rejects a truncated signature', () => {
    expect(verify(UNICODE_BODY, UNICODE_BODY_SIGNATURE.slice(0, 62))).toBe(false);
  });
});

describe('parseWebhookEvent', () => {
  it('parses an order status change', () => {
    const event = parseWebhookEvent(Buffer.from(UNICODE_BODY));
    expect(event.topic).toBe('ORDER_STATUS_CHANGE');
    if (event.topic !== 'ORDER_STATUS_CHANGE') return;
    expect(event.payload.shop_id).toBe('7495000000000000001');
    expect(event.payload.tts_notification_id).toBe('7327000000000000001');
    expect(event.payload.timestamp).toBe(1700000300);
    expect(event.payload.data.order_id).toBe('576000000000000001');
    expect(event.payload.data.is_on_hold_order).toBe(false);
    expect((event.payload.data as Record<string, unknown>).note).toBe('Café');
  });

  it('accepts CANCEL and CANCELLED', () => {
    for (const status of ['CANCEL', 'CANCELLED']) {
      const event = parseWebhookEvent(
        `{"type":1,"shop_id":"7495000000000000001","timestamp":1700000600,"data":{"order_id":"576000000000000021","order_status":"${status}","update_time":1700000600}}`,
      );
      expect(event.topic).toBe('ORDER_STATUS_CHANGE');
      if (event.topic !== 'ORDER_STATUS_CHANGE') return;
      expect(event.payload.tts_notification_id).toBeUndefined();
      expect(normalizeOrderStatus(event.payload.data.order_status)).toBe('CANCELLED');
    }
  });

  it('parses a signed deauthorization', () => {
    const rawBody =
      '{"type":6,"tts_notification_id":"7327000000000000002","shop_id":"7495000000000000002","timestamp":1700000400,"data":{"message":"seller deauthorized the app"}}';
    expect(
      verify(rawBody, '52d96df528f55ca3f99779bc158ed8a50fa7567e0b87e954e09746ec10d57fe3'),
    ).toBe(true);
    const event = parseWebhookEvent(rawBody);
    expect(event.topic).toBe('SELLER_DEAUTHORIZATION');
    expect(event.payload.shop_id).toBe('7495000000000000002');
  });

  it('parses a signed upcoming expiration', () => {
    const rawBody =
      '{"type":7,"tts_notification_id":"7327000000000000003","shop_id":"7495000000000000001","timestamp":1700000500,"data":{"message":"authorization will expire soon","expiration_time":1702592500}}';
    expect(
      verify(rawBody, '45db7b709ecaa882ec20df6d36d5200fb70e222d6e653a71bbced2050fe6718b'),
    ).toBe(true);
    const event = parseWebhookEvent(rawBody);
    expect(event.topic).toBe('UPCOMING_AUTHORIZATION_EXPIRATION');
    if (event.topic !== 'UPCOMING_AUTHORIZATION_EXPIRATION') return;
    expect(event.payload.data.expiration_time).toBe(1702592500);
  });

  it('reads expiration_time sent as a string', () => {
    const event = parseWebhookEvent(
      '{"type":7,"shop_id":"7495000000000000001","timestamp":1700000500,"data":{"message":"x","expiration_time":"1702592500"}}',
    );
    if (event.topic !== 'UPCOMING_AUTHORIZATION_EXPIRATION') throw new Error(event.topic);
    expect(event.payload.data.expiration_time).toBe(1702592500);
  });

  it('keeps numeric big ids of other topics exact', () => {
    const event = parseWebhookEvent(
      '{"type":18,"tts_notification_id":"7327000000000000004","shop_id":7495000000000000001,"timestamp":1700000700,"data":{"product_id":1729582718312380123,"current_category_id":600001}}',
    );
    expect(event.topic).toBe('OTHER');
    expect(event.payload.shop_id).toBe('7495000000000000001');
    expect(event.payload.data).toEqual({
      product_id: '1729582718312380123',
      current_category_id: 600001,
    });
  });

  it('throws PAYLOAD_INVALID on bad bodies', () => {
    const bodies = [
      'not json',
      '{"shop_id":"1","timestamp":1,"data":{}}',
      '{"type":1,"shop_id":"1","timestamp":1,"data":{"order_status":"UNPAID"}}',
    ];
    for (const body of bodies) {
      expect(() => parseWebhookEvent(body)).toThrow(TikTokApiError);
      try {
        parseWebhookEvent(body);
      } catch (error) {
        expect((error as TikTokApiError).kind).toBe('PAYLOAD_INVALID');
      }
    }
  });
});

describe('parseWebhookEvent product topics', () => {
  // 19 digits, sent as a JSON number; `Number` would round it to 1729582718312380200.
  const PRODUCT_ID = '1729582718312380123';
  const SKU_ID = '1729582718312380457';

  function envelope(type: number, data: string): string {
    return `{"type":${type},"tts_notification_id":"7327000000000000010","shop_id":"7495000000000000001","timestamp":1700000800,"data":${data}}`;
  }

  it('keeps a 19-digit id exact', () => {
    expect(String(Number(PRODUCT_ID))).not.toBe(PRODUCT_ID);
    expect(String(Number(SKU_ID))).not.toBe(SKU_ID);
  });

  it('parses a product status change', () => {
    const rawBody = envelope(
      5,
      `{"product_id":${PRODUCT_ID},"status":"PRODUCT_AUDIT_FAILURE","suspended_reason":"image","update_time":1700000790}`,
    );
    const signature = signWebhook({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody });
    expect(verify(rawBody, signature)).toBe(true);

    const event = parseWebhookEvent(rawBody);

    expect(event.topic).toBe('PRODUCT_STATUS_CHANGE');
    if (event.topic !== 'PRODUCT_STATUS_CHANGE') return;
    expect(event.payload.shop_id).toBe('7495000000000000001');
    expect(event.payload.data.product_id).toBe(PRODUCT_ID);
    expect(event.payload.data.status).toBe('PRODUCT_AUDIT_FAILURE');
    expect(event.payload.data.suspended_reason).toBe('image');
    expect(event.payload.data.update_time).toBe(1700000790);
  });

  it('parses a product information change', () => {
    const event = parseWebhookEvent(
      envelope(
        15,
        `{"product_id":${PRODUCT_ID},"change_source":"SELLER_CENTER","changed_fields":["title","main_images"],"update_time":1700000790}`,
      ),
    );

    expect(event.topic).toBe('PRODUCT_INFORMATION_CHANGE');
    if (event.topic !== 'PRODUCT_INFORMATION_CHANGE') return;
    expect(event.payload.data.product_id).toBe(PRODUCT_ID);
    expect(event.payload.data.change_source).toBe('SELLER_CENTER');
    expect(event.payload.data.changed_fields).toEqual(['title', 'main_images']);
  });

  it('parses a product creation', () => {
    const event = parseWebhookEvent(
      envelope(
        16,
        `{"product_id":${PRODUCT_ID},"product_types":["COMBINED_PRODUCT"],"update_time":1700000790}`,
      ),
    );

    expect(event.topic).toBe('PRODUCT_CREATION');
    if (event.topic !== 'PRODUCT_CREATION') return;
    expect(event.payload.data.product_id).toBe(PRODUCT_ID);
    expect(event.payload.data.product_types).toEqual(['COMBINED_PRODUCT']);
  });

  it('parses an inventory status change', () => {
    const event = parseWebhookEvent(
      envelope(
        27,
        `{"product_id":${PRODUCT_ID},"sku_id":${SKU_ID},"current_inventory_status":"LOW_STOCK","trigger_reason":{"alert_type":"REALTIME","lead_days":3,"low_stock_threshold":5},"inventory_distribution":{"total_quantity":10,"available_quantity":4,"creator_reserved_quantity":1,"campaign_reserved_quantity":2,"committed_quantity":3}}`,
      ),
    );

    expect(event.topic).toBe('INVENTORY_STATUS_CHANGE');
    if (event.topic !== 'INVENTORY_STATUS_CHANGE') return;
    expect(event.payload.data.product_id).toBe(PRODUCT_ID);
    expect(event.payload.data.sku_id).toBe(SKU_ID);
    expect(event.payload.data.current_inventory_status).toBe('LOW_STOCK');
    expect(event.payload.data.trigger_reason).toEqual({
      alert_type: 'REALTIME',
      lead_days: 3,
      low_stock_threshold: 5,
    });
    expect(event.payload.data.inventory_distribution).toEqual({
      total_quantity: 10,
      available_quantity: 4,
      creator_reserved_quantity: 1,
      campaign_reserved_quantity: 2,
      committed_quantity: 3,
    });
  });

  it('parses a product audit status change', () => {
    const event = parseWebhookEvent(
      envelope(
        37,
        `{"product_id":${PRODUCT_ID},"audit":{"status":"PRE_APPROVED","pre_approved_reasons":["KYC_PENDING"]},"integrated_platform_statuses":[{"platform":"TOKOPEDIA","status":"LIVE"}],"update_time":1700000790}`,
      ),
    );

    expect(event.topic).toBe('PRODUCT_AUDIT_STATUS_CHANGE');
    if (event.topic !== 'PRODUCT_AUDIT_STATUS_CHANGE') return;
    expect(event.payload.data.product_id).toBe(PRODUCT_ID);
    expect(event.payload.data.audit?.status).toBe('PRE_APPROVED');
    expect(event.payload.data.audit?.pre_approved_reasons).toEqual(['KYC_PENDING']);
    expect(event.payload.data.integrated_platform_statuses).toEqual([
      { platform: 'TOKOPEDIA', status: 'LIVE' },
    ]);
  });

  it('accepts a product id sent as a string', () => {
    const event = parseWebhookEvent(envelope(16, `{"product_id":"${PRODUCT_ID}"}`));

    expect(event.topic).toBe('PRODUCT_CREATION');
    expect((event.payload.data as { product_id: string }).product_id).toBe(PRODUCT_ID);
  });

  it('rejects a product topic without product_id', () => {
    for (const type of [5, 15, 16, 27, 37]) {
      let caught: unknown;
      try {
        parseWebhookEvent(envelope(type, '{"update_time":1700000790}'));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TikTokApiError);
      expect((caught as TikTokApiError).kind).toBe('PAYLOAD_INVALID');
      expect((caught as TikTokApiError).message).toContain(`webhook type ${type}`);
    }
  });
});
