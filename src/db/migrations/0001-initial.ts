import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Every time column is written from the injected clock, never from the server's now(), so
// tests that move the clock see consistent rows. TikTok ids stay text end to end.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE accounts (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      email text NOT NULL UNIQUE,
      name text NOT NULL,
      password_hash text,
      created_at timestamptz NOT NULL
    );

    CREATE TABLE sign_in_links (
      token_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );

    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );

    CREATE TABLE stores (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      name text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX stores_account_idx ON stores (account_id);

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY,
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      name text NOT NULL,
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    CREATE TABLE oauth_states (
      state_hash text PRIMARY KEY,
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      user_id uuid REFERENCES users (id) ON DELETE SET NULL,
      market text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );

    -- One row per TikTok authorization (keyed by the seller's open_id). Tokens are AES-256-GCM
    -- ciphertexts that name their key id. A grant that arrived without state, or whose shops
    -- are not assigned yet, waits with claim_expires_at set.
    CREATE TABLE grants (
      id uuid PRIMARY KEY,
      open_id text NOT NULL UNIQUE,
      account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
      suggested_store_id uuid REFERENCES stores (id) ON DELETE SET NULL,
      seller_name text,
      seller_base_region text,
      user_type integer,
      granted_scopes jsonb NOT NULL DEFAULT '[]',
      access_token_enc text,
      access_token_expires_at timestamptz,
      refresh_token_enc text,
      refresh_token_expires_at timestamptz,
      token_version integer NOT NULL DEFAULT 0,
      refresh_failed_at timestamptz,
      refresh_error text,
      claim_expires_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    );

    CREATE TABLE grant_shops (
      grant_id uuid NOT NULL REFERENCES grants (id) ON DELETE CASCADE,
      shop_id text NOT NULL,
      cipher text NOT NULL,
      name text NOT NULL,
      code text,
      region text NOT NULL,
      seller_type text,
      PRIMARY KEY (grant_id, shop_id)
    );

    CREATE TABLE connections (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      grant_id uuid REFERENCES grants (id) ON DELETE SET NULL,
      open_id text NOT NULL,
      shop_id text NOT NULL,
      shop_cipher text,
      shop_name text NOT NULL,
      shop_code text,
      region text NOT NULL,
      seller_type text,
      status text NOT NULL,
      connected_at timestamptz NOT NULL,
      disconnected_at timestamptz,
      reauthorize_by timestamptz,
      last_polled_at timestamptz,
      last_webhook_at timestamptz,
      next_poll_at timestamptz,
      poll_watermark bigint,
      backfill_status text NOT NULL DEFAULT 'pending',
      backfill_windows_total integer NOT NULL DEFAULT 0,
      backfill_windows_done integer NOT NULL DEFAULT 0,
      backfill_orders integer NOT NULL DEFAULT 0,
      backfill_started_at timestamptz,
      backfill_finished_at timestamptz,
      backfill_error text,
      UNIQUE (open_id, shop_id)
    );
    -- A shop belongs to at most one store at a time.
    CREATE UNIQUE INDEX connections_live_shop_idx ON connections (shop_id)
      WHERE status <> 'disconnected';
    CREATE INDEX connections_store_idx ON connections (store_id);

    -- Orders are keyed by TikTok's shop and order ids, never by connection, so a shop that is
    -- disconnected and connected again finds its history.
    CREATE TABLE orders (
      shop_id text NOT NULL,
      id text NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
      store_id uuid NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
      status text NOT NULL,
      tiktok_status text NOT NULL,
      is_on_hold_order boolean NOT NULL DEFAULT false,
      is_sample boolean NOT NULL DEFAULT false,
      has_gift boolean NOT NULL DEFAULT false,
      currency text NOT NULL,
      total_amount numeric(20, 4) NOT NULL,
      sub_total numeric(20, 4),
      shipping_fee numeric(20, 4),
      tax numeric(20, 4),
      payment jsonb NOT NULL DEFAULT '{}',
      shipping_type text,
      fulfillment_type text,
      buyer_user_id text,
      buyer_name text,
      recipient jsonb,
      cancel_reason text,
      cancellation_initiator text,
      line_item_count integer NOT NULL DEFAULT 0,
      tiktok_create_time bigint NOT NULL,
      tiktok_update_time bigint NOT NULL,
      paid_time bigint,
      raw jsonb NOT NULL,
      first_synced_at timestamptz NOT NULL,
      synced_at timestamptz NOT NULL,
      PRIMARY KEY (shop_id, id)
    );
    CREATE INDEX orders_store_created_idx ON orders (store_id, tiktok_create_time DESC, id);
    CREATE INDEX orders_store_status_idx ON orders (store_id, status);

    CREATE TABLE order_line_items (
      shop_id text NOT NULL,
      order_id text NOT NULL,
      id text NOT NULL,
      position integer NOT NULL,
      product_id text,
      product_name text,
      sku_id text,
      sku_name text,
      seller_sku text,
      currency text NOT NULL,
      original_price numeric(20, 4),
      sale_price numeric(20, 4),
      seller_discount numeric(20, 4),
      platform_discount numeric(20, 4),
      is_gift boolean NOT NULL DEFAULT false,
      gift_retail_price numeric(20, 4),
      package_id text,
      package_status text,
      display_status text,
      cancel_user text,
      cancel_reason text,
      tracking_number text,
      shipping_provider_id text,
      shipping_provider_name text,
      item_tax jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY (shop_id, order_id, id),
      FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
    );

    CREATE TABLE order_packages (
      shop_id text NOT NULL,
      order_id text NOT NULL,
      id text NOT NULL,
      status text,
      tracking_number text,
      shipping_provider_id text,
      shipping_provider_name text,
      PRIMARY KEY (shop_id, order_id, id),
      FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
    );

    CREATE TABLE order_status_history (
      id bigserial PRIMARY KEY,
      shop_id text NOT NULL,
      order_id text NOT NULL,
      status text NOT NULL,
      tiktok_status text NOT NULL,
      tiktok_update_time bigint NOT NULL,
      source text NOT NULL,
      recorded_at timestamptz NOT NULL,
      FOREIGN KEY (shop_id, order_id) REFERENCES orders (shop_id, id) ON DELETE CASCADE
    );
    CREATE INDEX order_status_history_order_idx ON order_status_history (shop_id, order_id, id);

    -- Every verified webhook delivery, stored before TikTok gets its 200.
    CREATE TABLE webhook_events (
      id bigserial PRIMARY KEY,
      dedupe_key text NOT NULL UNIQUE,
      notification_id text,
      type integer NOT NULL,
      shop_id text NOT NULL,
      order_id text,
      event_time bigint,
      body text NOT NULL,
      status text NOT NULL,
      received_at timestamptz NOT NULL,
      processed_at timestamptz,
      error text
    );
    CREATE INDEX webhook_events_pending_idx ON webhook_events (shop_id, id) WHERE status = 'pending';

    -- Shared rate limiter state (GCRA): the theoretical arrival time of the next request, per key.
    CREATE TABLE rate_limits (
      key text PRIMARY KEY,
      tat_ms bigint NOT NULL
    );

    -- Lease for work that only one process may do at a time, such as refreshing one grant.
    CREATE TABLE leases (
      key text PRIMARY KEY,
      holder text NOT NULL,
      expires_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE leases, rate_limits, webhook_events, order_status_history, order_packages,
      order_line_items, orders, connections, grant_shops, grants, oauth_states, api_keys, stores,
      sessions, sign_in_links, users, accounts;
  `.execute(db);
}
