import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The platform catalog (locations, SKUs, stock, prices, rules), the mirror of each shop's TikTok
// catalog, the links between the two, and what was last pushed to TikTok per SKU.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Store-wide defaults: the currency of platform prices, and the stock and price rules that a
    -- SKU's own rules override.
    ALTER TABLE stores ADD COLUMN currency text NOT NULL DEFAULT 'USD';
    ALTER TABLE stores ADD COLUMN stock_rule jsonb;
    ALTER TABLE stores ADD COLUMN price_rule jsonb;

    CREATE TABLE locations (
      id uuid PRIMARY KEY,
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      code text NOT NULL,
      name text NOT NULL,
      -- Stock held here never reaches TikTok (a returns bay, a showroom).
      exclude_from_tiktok boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL,
      UNIQUE (store_id, code)
    );

    CREATE TABLE platform_skus (
      id uuid PRIMARY KEY,
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      sku text NOT NULL,
      title text NOT NULL,
      price numeric(20, 6),
      currency text,
      stock_rule jsonb,
      price_rule jsonb,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      UNIQUE (store_id, sku)
    );

    -- on_hand counts every unit on the shelf, units of open TikTok orders included, because
    -- TikTok subtracts its own committed units (docs/design.md, "Stock that TikTok has committed").
    -- reserved counts units held for other sales channels.
    CREATE TABLE stock_levels (
      sku_id uuid NOT NULL REFERENCES platform_skus (id) ON DELETE CASCADE,
      location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
      on_hand integer NOT NULL CHECK (on_hand >= 0),
      reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (sku_id, location_id)
    );
    CREATE INDEX stock_levels_location_idx ON stock_levels (location_id);

    CREATE TABLE currency_rates (
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      from_currency text NOT NULL,
      to_currency text NOT NULL,
      rate numeric(24, 10) NOT NULL CHECK (rate > 0),
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (store_id, from_currency, to_currency)
    );

    CREATE TABLE tiktok_warehouses (
      shop_id text NOT NULL,
      id text NOT NULL,
      name text NOT NULL,
      type text,
      sub_type text,
      effect_status text,
      is_default boolean NOT NULL DEFAULT false,
      synced_at timestamptz NOT NULL,
      PRIMARY KEY (shop_id, id)
    );

    -- Several locations may feed one warehouse; a location feeds at most one warehouse per shop.
    CREATE TABLE warehouse_mappings (
      location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
      shop_id text NOT NULL,
      warehouse_id text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (location_id, shop_id)
    );
    CREATE INDEX warehouse_mappings_shop_idx ON warehouse_mappings (shop_id, warehouse_id);

    CREATE TABLE tiktok_products (
      shop_id text NOT NULL,
      id text NOT NULL,
      title text NOT NULL,
      status text NOT NULL,
      audit_status text,
      create_time bigint,
      update_time bigint NOT NULL,
      raw jsonb NOT NULL,
      synced_at timestamptz NOT NULL,
      PRIMARY KEY (shop_id, id)
    );
    CREATE INDEX tiktok_products_update_idx ON tiktok_products (shop_id, update_time DESC, id);

    -- inventory is TikTok's list of {warehouseId, quantity}, one entry per warehouse of the SKU.
    CREATE TABLE tiktok_skus (
      shop_id text NOT NULL,
      id text NOT NULL,
      product_id text NOT NULL,
      seller_sku text NOT NULL DEFAULT '',
      currency text,
      price numeric(20, 6),
      sale_price numeric(20, 6),
      inventory jsonb NOT NULL DEFAULT '[]',
      position integer NOT NULL DEFAULT 0,
      synced_at timestamptz NOT NULL,
      PRIMARY KEY (shop_id, id),
      FOREIGN KEY (shop_id, product_id) REFERENCES tiktok_products (shop_id, id) ON DELETE CASCADE
    );
    CREATE INDEX tiktok_skus_seller_sku_idx ON tiktok_skus (shop_id, seller_sku);
    CREATE INDEX tiktok_skus_product_idx ON tiktok_skus (shop_id, product_id);

    -- mode: auto (matched by seller_sku), manual (set by the seller), unlinked (the seller
    -- removed the link; automatic matching leaves this SKU alone until it is linked again).
    CREATE TABLE sku_links (
      shop_id text NOT NULL,
      tiktok_sku_id text NOT NULL,
      platform_sku_id uuid REFERENCES platform_skus (id) ON DELETE CASCADE,
      mode text NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (shop_id, tiktok_sku_id)
    );
    CREATE INDEX sku_links_platform_idx ON sku_links (platform_sku_id);

    -- What the connector last sent per TikTok SKU. A change bumps *_wanted_seq; a push that
    -- read sequence n sets *_done_seq to n, so a change made during a call is never lost.
    CREATE TABLE sku_push_state (
      shop_id text NOT NULL,
      tiktok_sku_id text NOT NULL,
      product_id text NOT NULL,
      stock_wanted_seq bigint NOT NULL DEFAULT 0,
      stock_done_seq bigint NOT NULL DEFAULT 0,
      stock_pushed jsonb,
      stock_pushed_total integer,
      stock_pushed_at timestamptz,
      stock_error text,
      stock_error_code text,
      stock_error_at timestamptz,
      price_wanted_seq bigint NOT NULL DEFAULT 0,
      price_done_seq bigint NOT NULL DEFAULT 0,
      price_pushed text,
      price_pushed_currency text,
      price_pushed_at timestamptz,
      price_error text,
      price_error_code text,
      price_error_at timestamptz,
      -- The amount TikTok refused as locked; not sent again until the wanted amount differs.
      price_locked_amount text,
      PRIMARY KEY (shop_id, tiktok_sku_id)
    );
    CREATE INDEX sku_push_state_stock_idx ON sku_push_state (shop_id, product_id)
      WHERE stock_wanted_seq > stock_done_seq;
    CREATE INDEX sku_push_state_price_idx ON sku_push_state (shop_id, product_id)
      WHERE price_wanted_seq > price_done_seq;

    ALTER TABLE connections ADD COLUMN catalog_status text NOT NULL DEFAULT 'pending';
    ALTER TABLE connections ADD COLUMN catalog_products integer NOT NULL DEFAULT 0;
    ALTER TABLE connections ADD COLUMN catalog_synced_at timestamptz;
    ALTER TABLE connections ADD COLUMN catalog_watermark bigint;
    ALTER TABLE connections ADD COLUMN catalog_error text;
    ALTER TABLE connections ADD COLUMN next_catalog_poll_at timestamptz;

    ALTER TABLE webhook_events ADD COLUMN product_id text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhook_events DROP COLUMN product_id;
    ALTER TABLE connections DROP COLUMN catalog_status, DROP COLUMN catalog_products,
      DROP COLUMN catalog_synced_at, DROP COLUMN catalog_watermark, DROP COLUMN catalog_error,
      DROP COLUMN next_catalog_poll_at;
    DROP TABLE sku_push_state, sku_links, tiktok_skus, tiktok_products, warehouse_mappings,
      tiktok_warehouses, currency_rates, stock_levels, platform_skus, locations;
    ALTER TABLE stores DROP COLUMN currency, DROP COLUMN stock_rule, DROP COLUMN price_rule;
  `.execute(db);
}
