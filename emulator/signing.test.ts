import { describe, expect, test } from 'vitest';

import { computeRequestSign, computeWebhookSignature, verifyWebhookSignature } from './signing.ts';
import { testSign } from './test-helpers.ts';

/** Published request vectors: secret, path, query, body, expected sign. */
const REQUEST_VECTORS: {
  name: string;
  secret: string;
  path: string;
  query: Record<string, string>;
  body?: string;
  sign: string;
}[] = [
  {
    name: 'official example without body',
    secret: 'e59af819cc',
    path: '/authorization/202309/shops',
    query: { app_key: '29a39d', timestamp: '1623812664' },
    sign: 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8',
  },
  {
    name: 'webhook update example, GET',
    secret: 'e59af819cc',
    path: '/event/202309/webhooks',
    query: {
      app_key: '68xu9ks5p4i8',
      shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
      timestamp: '1696909648',
    },
    sign: 'ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37',
  },
  {
    name: 'webhook update example, PUT with body',
    secret: 'e59af819cc',
    path: '/event/202309/webhooks',
    query: {
      app_key: '68xu9ks5p4i8',
      shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
      timestamp: '1696909648',
    },
    body: '{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}',
    sign: '701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7',
  },
  {
    name: 'worked Search Orders example',
    secret: 'demosecret123',
    path: '/order/202309/orders/search',
    query: {
      app_key: 'demoappkey',
      shop_cipher: 'ROW_demoCipher',
      timestamp: '1718000000',
      page_size: '50',
      sort_field: 'update_time',
      sort_order: 'ASC',
    },
    body: '{"order_status":"AWAITING_SHIPMENT","update_time_ge":1717990000,"update_time_lt":1718000000}',
    sign: '34eca621bcde7562221cf039c1c6b157d28186e5354a4260c73479d75963ac5c',
  },
  {
    name: 'worked Get Order Detail example',
    secret: 'demosecret123',
    path: '/order/202309/orders',
    query: {
      app_key: 'demoappkey',
      ids: '576461413038785752,576461413038785753',
      shop_cipher: 'ROW_demoCipher',
      timestamp: '1718000000',
    },
    sign: 'f9851b777669a5c267a8d26722e6bfd310e587a271cafe5c188bc286eedc6988',
  },
  {
    name: 'EcomPHP unit test vector',
    secret: 'app_secret',
    path: '/test-api',
    query: { foo: 'bar' },
    sign: 'd3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f',
  },
  {
    name: 'product search covers the JSON body',
    secret: 'e1a7c0ffee0000000000000000000000000000ab',
    path: '/product/202309/products/search',
    query: {
      app_key: '6d1examplek3y',
      page_size: '20',
      shop_cipher: 'ROW_TestCipherAAA',
      timestamp: '1700000000',
    },
    body: '{"status":"ACTIVATE","seller_skus":["MUG-01"]}',
    sign: 'bd8332735322ede2882ef6ab6b4d8acfa3f95c8fe7d7cd73743481a1a0ac4d8f',
  },
];

describe('computeRequestSign', () => {
  for (const vector of REQUEST_VECTORS) {
    test(`matches ${vector.name}`, () => {
      const sign = computeRequestSign({
        appSecret: vector.secret,
        path: vector.path,
        query: Object.entries(vector.query),
        body: vector.body,
        contentType: 'application/json',
      });
      expect(sign).toBe(vector.sign);
      expect(testSign(vector.secret, vector.path, vector.query, vector.body)).toBe(vector.sign);
    });
  }

  test('ignores access_token in the query', () => {
    const query = {
      app_key: '6d1examplek3y',
      shop_cipher: 'ROW_TestCipherAAA',
      timestamp: '1700000000',
    };
    const input = {
      appSecret: 'e1a7c0ffee0000000000000000000000000000ab',
      path: '/event/202309/webhooks',
    };
    const plain = computeRequestSign({ ...input, query: Object.entries(query) });
    const withToken = computeRequestSign({
      ...input,
      query: Object.entries({ ...query, access_token: 'TTP_made_up_access_token' }),
    });
    expect(plain).toBe('f1157ee5a65229e404f92740ce1f0799e27781675898bb90decf7375b2e881d3');
    expect(withToken).toBe(plain);
  });

  test('leaves a multipart body out', () => {
    const sign = computeRequestSign({
      appSecret: 'e1a7c0ffee0000000000000000000000000000ab',
      path: '/product/202309/images/upload',
      query: Object.entries({ app_key: '6d1examplek3y', timestamp: '1700000000' }),
      body: Buffer.from('--boundary\r\nbinary\r\n--boundary--'),
      contentType: 'multipart/form-data; boundary=boundary',
    });
    expect(sign).toBe('b7caab718ea5c15d35ac58f7e64e3db7aae7ed2caad131f7084bb20845aeba0e');
  });

  test('output is lower-case hex', () => {
    const sign = computeRequestSign({ appSecret: 's', path: '/p', query: [['a', 'B']] });
    expect(sign).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('webhook signature', () => {
  const officialBody =
    '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}';
  const demoBody =
    '{"type":1,"tts_notification_id":"7327112393057371910","shop_id":"7494049642642441621","timestamp":1718000000,"data":{"order_id":"576461413038785752","order_status":"AWAITING_SHIPMENT","is_on_hold_order":false,"update_time":1718000000}}';
  const rawUnicodeBody =
    '{"type": 1, "tts_notification_id": "7327000000000000001", "shop_id": "7495000000000000001", "timestamp": 1700000300, "data": {"is_on_hold_order": false, "order_id": "576000000000000001", "order_status": "AWAITING_SHIPMENT", "update_time": 1700000290, "note": "Caf\\u00e9"}}';

  test('matches the official vector', () => {
    expect(computeWebhookSignature('abcdef', '123', officialBody)).toBe(
      '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05',
    );
  });

  test('matches the worked example', () => {
    expect(computeWebhookSignature('demoappkey', 'demosecret123', demoBody)).toBe(
      '47f877ce0b5c6f637b0779686f34ac818866c21fa351fcb15c0083c9385b4949',
    );
  });

  test('covers the raw bytes, escapes and spaces kept', () => {
    const secret = 'e1a7c0ffee0000000000000000000000000000ab';
    const sign = computeWebhookSignature('6d1examplek3y', secret, rawUnicodeBody);
    expect(sign).toBe('15d7919bd2a7da1c64dbf355feb03c781e4fd5b559ed28a2323ddb7476e988ce');
    const reserialized = JSON.stringify(JSON.parse(rawUnicodeBody));
    expect(computeWebhookSignature('6d1examplek3y', secret, reserialized)).toBe(
      '7207516c949c7f0d286f830915f92a4adb9114e30bb2e95010cc5ab9b62ae99d',
    );
  });

  test('verifier accepts any hex case and rejects tampering', () => {
    const input = { appKey: 'abcdef', appSecret: '123', rawBody: officialBody };
    const good = '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05';
    expect(verifyWebhookSignature({ ...input, authorization: good })).toBe(true);
    expect(verifyWebhookSignature({ ...input, authorization: good.toUpperCase() })).toBe(true);
    expect(verifyWebhookSignature({ ...input, authorization: undefined })).toBe(false);
    const tampered = officialBody.replace('UNPAID', 'CANCEL');
    expect(verifyWebhookSignature({ ...input, rawBody: tampered, authorization: good })).toBe(
      false,
    );
  });
});
