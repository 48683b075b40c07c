import { describe, expect, it } from 'vitest';

import {
  buildStringToSign,
  hmacSha256Hex,
  normalizeQuery,
  signRequest,
  unixTimestamp,
} from './sign.ts';
import { createFakeClock } from './test-support.ts';

// Shared fixtures of the field cases.
const APP_KEY = '6d1examplek3y';
const APP_SECRET = 'e1a7c0ffee0000000000000000000000000000ab';
const TIMESTAMP = '1700000000';
const CIPHER_A = 'ROW_TestCipherAAA';
const CIPHER_B = 'ROW_TestCipherBBB';
const ACCESS_TOKEN = 'TTP_made_up_access_token';

function fieldCaseSign(path: string, query: Record<string, string>, body?: string): string {
  return signRequest({ appSecret: APP_SECRET, path, query, body });
}

describe('signRequest with the official vectors', () => {
  it('matches the guide example without body', () => {
    const sign = signRequest({
      appSecret: 'e59af819cc',
      path: '/authorization/202309/shops',
      query: { app_key: '29a39d', timestamp: '1623812664' },
    });
    expect(sign).toBe('b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
  });

  it('builds the guide string to sign', () => {
    const parts = buildStringToSign({
      appSecret: 'e59af819cc',
      path: '/authorization/202309/shops',
      query: { timestamp: '1623812664', app_key: '29a39d' },
    });
    expect(parts.join('')).toBe(
      'e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc',
    );
  });

  const webhookQuery = {
    app_key: '68xu9ks5p4i8',
    shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
    timestamp: '1696909648',
  };

  it('matches the fudiwei GET vector', () => {
    const sign = signRequest({
      appSecret: 'e59af819cc',
      path: '/event/202309/webhooks',
      query: webhookQuery,
    });
    expect(sign).toBe('ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37');
  });

  it('matches the fudiwei PUT vector with body', () => {
    const sign = signRequest({
      appSecret: 'e59af819cc',
      path: '/event/202309/webhooks',
      query: webhookQuery,
      body: '{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}',
    });
    expect(sign).toBe('701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7');
  });

  it('matches the EcomPHP unit test vector', () => {
    const sign = signRequest({ appSecret: 'app_secret', path: '/test-api', query: { foo: 'bar' } });
    expect(sign).toBe('d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f');
  });
});

describe('signRequest with the made-up worked example', () => {
  const query = {
    app_key: 'demoappkey',
    shop_cipher: 'ROW_demoCipher',
    timestamp: '1718000000',
  };

  it('signs the Search Orders POST', () => {
    const input = {
      appSecret: 'demosecret123',
      path: '/order/202309/orders/search',
      query: { ...query, page_size: '50', sort_field: 'update_time', sort_order: 'ASC' },
      body: '{"order_status":"AWAITING_SHIPMENT","update_time_ge":1717990000,"update_time_lt":1718000000}',
    };
    expect(buildStringToSign(input).join('')).toBe(
      'demosecret123/order/202309/orders/searchapp_keydemoappkeypage_size50shop_cipherROW_demoCiphersort_fieldupdate_timesort_orderASCtimestamp1718000000{"order_status":"AWAITING_SHIPMENT","update_time_ge":1717990000,"update_time_lt":1718000000}demosecret123',
    );
    expect(signRequest(input)).toBe(
      '34eca621bcde7562221cf039c1c6b157d28186e5354a4260c73479d75963ac5c',
    );
  });

  it('signs the Get Order Detail GET', () => {
    const input = {
      appSecret: 'demosecret123',
      path: '/order/202309/orders',
      query: { ...query, ...normalizeQuery({ ids: ['576461413038785752', '576461413038785753'] }) },
    };
    expect(buildStringToSign(input).join('')).toBe(
      'demosecret123/order/202309/ordersapp_keydemoappkeyids576461413038785752,576461413038785753shop_cipherROW_demoCiphertimestamp1718000000demosecret123',
    );
    expect(signRequest(input)).toBe(
      'f9851b777669a5c267a8d26722e6bfd310e587a271cafe5c188bc286eedc6988',
    );
  });
});

describe('sign digest encoding', () => {
  const authorizedShops = { app_key: APP_KEY, timestamp: TIMESTAMP };

  it('is lower-case hex for authorized shops', () => {
    const sign = fieldCaseSign('/authorization/202309/shops', authorizedShops);
    expect(sign).toBe('cd3511cb6afb97de4e690677c8aabe80e61ff8b0c434319d702cadb9dd6a55aa');
    expect(sign).not.toBe('CD3511CB6AFB97DE4E690677C8AABE80E61FF8B0C434319D702CADB9DD6A55AA');
  });

  it('is always 64 lower-case hex digits', () => {
    for (let i = 0; i < 200; i += 1) {
      const sign = fieldCaseSign(`/path/${i}`, { app_key: `key${i}`, timestamp: String(i) });
      expect(sign).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('hmacSha256Hex joins parts without separators', () => {
    expect(hmacSha256Hex('k', ['ab', Buffer.from('cd')])).toBe(hmacSha256Hex('k', ['abcd']));
  });
});

describe('sign coverage by request kind', () => {
  const productSearch = {
    app_key: APP_KEY,
    page_size: '20',
    shop_cipher: CIPHER_A,
    timestamp: TIMESTAMP,
  };
  const webhooks = { app_key: APP_KEY, shop_cipher: CIPHER_A, timestamp: TIMESTAMP };

  it('covers a JSON POST body', () => {
    const body = '{"status":"ACTIVATE","seller_skus":["MUG-01"]}';
    const sign = fieldCaseSign('/product/202309/products/search', productSearch, body);
    expect(sign).toBe('bd8332735322ede2882ef6ab6b4d8acfa3f95c8fe7d7cd73743481a1a0ac4d8f');
    expect(sign).not.toBe('c77acbcbc94e8c65f50aa8eba0b8570a673a6110adc1a3058846ed305496a4d3');
  });

  it('covers a DELETE body', () => {
    const body = '{"event_type":"ORDER_STATUS_CHANGE"}';
    const sign = fieldCaseSign('/event/202309/webhooks', webhooks, body);
    expect(sign).toBe('b17b4b8476a6942ee7313a07c23898c4b4501e56ecea231cab43cbf98e7688f0');
    expect(sign).not.toBe('f1157ee5a65229e404f92740ce1f0799e27781675898bb90decf7375b2e881d3');
  });

  it('leaves a multipart body out', () => {
    const sign = signRequest({
      appSecret: APP_SECRET,
      path: '/product/202309/images/upload',
      query: { app_key: APP_KEY, timestamp: TIMESTAMP },
      body: '--boundary\r\nbinary image bytes\r\n--boundary--',
      contentType: 'multipart/form-data; boundary=boundary',
    });
    expect(sign).toBe('b7caab718ea5c15d35ac58f7e64e3db7aae7ed2caad131f7084bb20845aeba0e');
  });

  it('ignores access_token in the query', () => {
    const withToken = { access_token: ACCESS_TOKEN, 'x-tts-access-token': ACCESS_TOKEN };
    expect(
      fieldCaseSign(
        '/product/202309/products/search',
        { ...productSearch, ...withToken },
        '{"status":"ACTIVATE","seller_skus":["MUG-01"]}',
      ),
    ).toBe('bd8332735322ede2882ef6ab6b4d8acfa3f95c8fe7d7cd73743481a1a0ac4d8f');
    expect(
      fieldCaseSign(
        '/event/202309/webhooks',
        { ...webhooks, ...withToken },
        '{"event_type":"ORDER_STATUS_CHANGE"}',
      ),
    ).toBe('b17b4b8476a6942ee7313a07c23898c4b4501e56ecea231cab43cbf98e7688f0');
    expect(
      fieldCaseSign('/authorization/202309/shops', {
        app_key: APP_KEY,
        timestamp: TIMESTAMP,
        ...withToken,
      }),
    ).toBe('cd3511cb6afb97de4e690677c8aabe80e61ff8b0c434319d702cadb9dd6a55aa');
  });

  it('ignores a sign already in the query', () => {
    expect(fieldCaseSign('/event/202309/webhooks', { ...webhooks, sign: 'stale' })).toBe(
      'f1157ee5a65229e404f92740ce1f0799e27781675898bb90decf7375b2e881d3',
    );
  });

  it('signs brands and multi-shop vectors', () => {
    expect(
      fieldCaseSign(
        '/product/202309/brands',
        { app_key: APP_KEY, timestamp: TIMESTAMP },
        '{"name":"Example Brand"}',
      ),
    ).toBe('ffc65533d278b9e6483837946cbe182323c7de9db7a68eace7a7eed7a7200d42');
    const detail = { app_key: APP_KEY, ids: '576000000000000009', timestamp: TIMESTAMP };
    expect(fieldCaseSign('/order/202309/orders', { ...detail, shop_cipher: CIPHER_B })).toBe(
      '69a4fe06d3ef1570b595323ae3a30fcead0de82ad55b073eba7a81b612668fb4',
    );
  });

  it('signs fulfillment bodies byte for byte', () => {
    const query = { app_key: APP_KEY, shop_cipher: CIPHER_A, timestamp: TIMESTAMP };
    expect(
      fieldCaseSign(
        '/fulfillment/202309/packages/1152000000000000001/ship',
        query,
        JSON.stringify({ handover_method: 'DROP_OFF', pickup_slot: undefined }),
      ),
    ).toBe('2359b25fac2f2245095cca37031385bfbdbee96cb770d1a89933674452a61c96');
    expect(
      fieldCaseSign(
        '/fulfillment/202309/orders/576000000000000001/packages',
        query,
        '{"tracking_number":"1Z999AA10123456784","shipping_provider_id":"7117000000000000001","order_line_item_ids":["577000000000000001"]}',
      ),
    ).toBe('8868efb8d30c5191f80144ec2968a9d35bc2339fa14424fc6159aecfc1e38526');
  });
});

describe('sign inputs that must not be produced', () => {
  const path = '/event/202309/webhooks';
  const query = { app_key: APP_KEY, shop_cipher: CIPHER_A, timestamp: TIMESTAMP };
  const wrongSigns = [
    '4856cb3169e219fd8fb71442ae8e93b17abc2aed1216af7696af1ef24c303ba8', // float timestamp
    '20be6b4f24719d5167bfbd919b76e693dec7873a25726ea039d2959a18447b83', // ms timestamp
    '38a62b316c83572056e1ceda524143e68c7b99a4c78f08e8ff892a6fc3310fe4', // path left out
    '14c13b995e06d583b2c827aa99a018e2ecaa883d7e9fe2d80451125e6da94b49', // token signed, no path
  ];

  it('signs the webhook list GET', () => {
    const sign = fieldCaseSign(path, query);
    expect(sign).toBe('f1157ee5a65229e404f92740ce1f0799e27781675898bb90decf7375b2e881d3');
    expect(wrongSigns).not.toContain(sign);
  });

  it('keeps the same sign with access_token in the query', () => {
    const sign = fieldCaseSign(path, { ...query, access_token: ACCESS_TOKEN });
    expect(sign).toBe('f1157ee5a65229e404f92740ce1f0799e27781675898bb90decf7375b2e881d3');
  });

  it('timestamp from a fractional clock is 10 digits', () => {
    const clock = createFakeClock(1_700_000_000_123.456);
    const timestamp = unixTimestamp(clock);
    expect(timestamp).toBe(TIMESTAMP);
    expect(timestamp).toMatch(/^\d{10}$/);
    const sign = fieldCaseSign(path, { ...query, timestamp });
    expect(wrongSigns).not.toContain(sign);
  });

  it('timestamp matches Math.floor(Date.now()/1000)', () => {
    const before = Math.floor(Date.now() / 1000);
    const timestamp = unixTimestamp({ now: () => Date.now(), sleep: async () => {} });
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(timestamp).toMatch(/^\d{10}$/);
  });

  it('timestamp rejects a clock in seconds', () => {
    expect(() => unixTimestamp(createFakeClock(1_700_000_000))).toThrow(RangeError);
  });
});

describe('normalizeQuery', () => {
  it('drops undefined, null and empty values', () => {
    expect(normalizeQuery({ a: undefined, b: null, c: '', d: [], e: 'x', f: 0, g: false })).toEqual(
      { e: 'x', f: '0', g: 'false' },
    );
  });

  it('joins list values with commas', () => {
    expect(normalizeQuery({ ids: ['1', 2, '3'] })).toEqual({ ids: '1,2,3' });
  });

  it('rejects non-finite numbers', () => {
    expect(() => normalizeQuery({ page_size: Number.NaN })).toThrow(RangeError);
  });

  it('sorts keys in byte order', () => {
    const parts = buildStringToSign({
      appSecret: 's',
      path: '/p',
      query: { b: '2', B: '1', a_b: '3', ab: '4' },
    });
    expect(parts.join('')).toBe('s/pB1a_b3ab4b2s');
  });
});
