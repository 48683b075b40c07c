import { describe, expect, it } from 'vitest';

import { shopCipherRule } from './shop-cipher.ts';
import type { HttpMethod } from './types.ts';

describe('shopCipherRule', () => {
  const table: [HttpMethod, string, 'required' | 'rejected'][] = [
    ['GET', '/authorization/202309/shops', 'rejected'],
    ['GET', '/authorization/202405/category_assets', 'rejected'],
    ['GET', '/seller/202309/shops', 'rejected'],
    ['GET', '/seller/202309/permissions', 'rejected'],
    ['POST', '/product/202309/images/upload', 'rejected'],
    ['POST', '/product/202309/files/upload', 'rejected'],
    ['POST', '/product/202309/global_products', 'rejected'],
    ['GET', '/product/202309/global_products/{global_product_id}', 'rejected'],
    ['POST', '/product/202409/compliance/manufacturers', 'rejected'],
    ['POST', '/product/202309/brands', 'rejected'],
    ['GET', '/product/202309/brands', 'required'],
    ['POST', '/order/202309/orders/search', 'required'],
    ['GET', '/order/202309/orders', 'required'],
    ['GET', '/event/202309/webhooks', 'required'],
    ['POST', '/product/202502/products/search', 'required'],
    ['POST', '/fulfillment/202309/packages/{package_id}/ship', 'required'],
    ['POST', '/return_refund/202309/cancellations', 'required'],
  ];

  for (const [method, path, rule] of table) {
    it(`${method} ${path} is ${rule}`, () => {
      expect(shopCipherRule(method, path)).toBe(rule);
    });
  }
});
