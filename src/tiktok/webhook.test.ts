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
      '{"type":5,"tts_notification_id":"7327000000000000004","shop_id":7495000000000000001,"timestamp":1700000700,"data":{"product_id":1729582718312380123,"status":"PRODUCT_STATUS_CHANGED"}}',
    );
    expect(event.topic).toBe('OTHER');
    expect(event.payload.shop_id).toBe('7495000000000000001');
    expect(event.payload.data).toEqual({
      product_id: '1729582718312380123',
      status: 'PRODUCT_STATUS_CHANGED',
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
