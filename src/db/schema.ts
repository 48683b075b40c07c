import type { ColumnType, Generated } from 'kysely';

// Kysely table types for the schema built by the migrations in ./migrations.
// bigint columns are parsed to JS numbers on both drivers (see database.ts); they hold Unix
// seconds or milliseconds, never ids.

type Json = ColumnType<unknown, string, string>;
type Numeric = ColumnType<string, string | number, string | number>;

export interface AccountsTable {
  id: string;
  name: string;
  created_at: Date;
}

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  created_at: Date;
}

export interface SignInLinksTable {
  token_hash: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface StoresTable {
  id: string;
  account_id: string;
  name: string;
  created_at: Date;
  /** Currency of platform prices that name none. */
  currency: Generated<string>;
  stock_rule: Json | null;
  price_rule: Json | null;
}

export interface ApiKeysTable {
  id: string;
  store_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface OauthStatesTable {
  state_hash: string;
  store_id: string;
  user_id: string | null;
  market: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface GrantsTable {
  id: string;
  open_id: string;
  account_id: string | null;
  suggested_store_id: string | null;
  seller_name: string | null;
  seller_base_region: string | null;
  user_type: number | null;
  granted_scopes: Json;
  access_token_enc: string | null;
  access_token_expires_at: Date | null;
  refresh_token_enc: string | null;
  refresh_token_expires_at: Date | null;
  token_version: Generated<number>;
  refresh_failed_at: Date | null;
  refresh_error: string | null;
  claim_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface GrantShopsTable {
  grant_id: string;
  shop_id: string;
  cipher: string;
  name: string;
  code: string | null;
  region: string;
  seller_type: string | null;
}

export interface ConnectionsTable {
  id: string;
  account_id: string;
  store_id: string;
  grant_id: string | null;
  open_id: string;
  shop_id: string;
  shop_cipher: string | null;
  shop_name: string;
  shop_code: string | null;
  region: string;
  seller_type: string | null;
  status: 'active' | 'reauthorize_required' | 'disconnected';
  connected_at: Date;
  disconnected_at: Date | null;
  reauthorize_by: Date | null;
  last_polled_at: Date | null;
  last_webhook_at: Date | null;
  next_poll_at: Date | null;
  /** TikTok update_time (Unix seconds) up to which polling has read every change. */
  poll_watermark: number | null;
  backfill_status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  backfill_windows_total: Generated<number>;
  backfill_windows_done: Generated<number>;
  backfill_orders: Generated<number>;
  backfill_started_at: Date | null;
  backfill_finished_at: Date | null;
  backfill_error: string | null;
  catalog_status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  catalog_products: Generated<number>;
  catalog_synced_at: Date | null;
  /** TikTok update_time (Unix seconds) up to which the catalog mirror has read every change. */
  catalog_watermark: number | null;
  catalog_error: string | null;
  next_catalog_poll_at: Date | null;
}

export interface OrdersTable {
  shop_id: string;
  id: string;
  account_id: string;
  store_id: string;
  status: string;
  tiktok_status: string;
  is_on_hold_order: boolean;
  is_sample: boolean;
  has_gift: boolean;
  currency: string;
  total_amount: Numeric;
  sub_total: Numeric | null;
  shipping_fee: Numeric | null;
  tax: Numeric | null;
  payment: Json;
  shipping_type: string | null;
  fulfillment_type: string | null;
  buyer_user_id: string | null;
  buyer_name: string | null;
  recipient: Json | null;
  cancel_reason: string | null;
  cancellation_initiator: string | null;
  line_item_count: number;
  tiktok_create_time: number;
  tiktok_update_time: number;
  paid_time: number | null;
  raw: Json;
  first_synced_at: Date;
  synced_at: Date;
}

export interface OrderLineItemsTable {
  shop_id: string;
  order_id: string;
  id: string;
  position: number;
  product_id: string | null;
  product_name: string | null;
  sku_id: string | null;
  sku_name: string | null;
  seller_sku: string | null;
  currency: string;
  original_price: Numeric | null;
  sale_price: Numeric | null;
  seller_discount: Numeric | null;
  platform_discount: Numeric | null;
  is_gift: boolean;
  gift_retail_price: Numeric | null;
  package_id: string | null;
  package_status: string | null;
  display_status: string | null;
  cancel_user: string | null;
  cancel_reason: string | null;
  tracking_number: string | null;
  shipping_provider_id: string | null;
  shipping_provider_name: string | null;
  item_tax: Json;
}

export interface OrderPackagesTable {
  shop_id: string;
  order_id: string;
  id: string;
  status: string | null;
  tracking_number: string | null;
  shipping_provider_id: string | null;
  shipping_provider_name: string | null;
}

export interface OrderStatusHistoryTable {
  id: Generated<number>;
  shop_id: string;
  order_id: string;
  status: string;
  tiktok_status: string;
  tiktok_update_time: number;
  source: string;
  recorded_at: Date;
}

export interface WebhookEventsTable {
  id: Generated<number>;
  dedupe_key: string;
  notification_id: string | null;
  type: number;
  shop_id: string;
  order_id: string | null;
  event_time: number | null;
  body: string;
  status: 'pending' | 'processed' | 'unknown_shop' | 'ignored' | 'failed';
  received_at: Date;
  processed_at: Date | null;
  error: string | null;
  product_id: string | null;
}

export interface RateLimitsTable {
  key: string;
  tat_ms: number;
}

export interface LeasesTable {
  key: string;
  holder: string;
  expires_at: Date;
}

export interface LocationsTable {
  id: string;
  store_id: string;
  code: string;
  name: string;
  exclude_from_tiktok: Generated<boolean>;
  created_at: Date;
}

export interface PlatformSkusTable {
  id: string;
  store_id: string;
  sku: string;
  title: string;
  price: Numeric | null;
  currency: string | null;
  stock_rule: Json | null;
  price_rule: Json | null;
  created_at: Date;
  updated_at: Date;
}

export interface StockLevelsTable {
  sku_id: string;
  location_id: string;
  on_hand: number;
  reserved: Generated<number>;
  updated_at: Date;
}

export interface CurrencyRatesTable {
  store_id: string;
  from_currency: string;
  to_currency: string;
  rate: Numeric;
  updated_at: Date;
}

export interface TiktokWarehousesTable {
  shop_id: string;
  id: string;
  name: string;
  type: string | null;
  sub_type: string | null;
  effect_status: string | null;
  is_default: boolean;
  synced_at: Date;
}

export interface WarehouseMappingsTable {
  location_id: string;
  shop_id: string;
  warehouse_id: string;
  created_at: Date;
}

export interface TiktokProductsTable {
  shop_id: string;
  id: string;
  title: string;
  status: string;
  audit_status: string | null;
  create_time: number | null;
  update_time: number;
  raw: Json;
  synced_at: Date;
}

export interface TiktokSkusTable {
  shop_id: string;
  id: string;
  product_id: string;
  seller_sku: string;
  currency: string | null;
  price: Numeric | null;
  sale_price: Numeric | null;
  /** `[{ warehouseId, quantity }]` as TikTok last reported or was last sent. */
  inventory: Json;
  position: number;
  synced_at: Date;
}

export interface SkuLinksTable {
  shop_id: string;
  tiktok_sku_id: string;
  platform_sku_id: string | null;
  mode: 'auto' | 'manual' | 'unlinked';
  updated_at: Date;
}

export interface SkuPushStateTable {
  shop_id: string;
  tiktok_sku_id: string;
  product_id: string;
  stock_wanted_seq: Generated<number>;
  stock_done_seq: Generated<number>;
  stock_pushed: Json | null;
  stock_pushed_total: number | null;
  stock_pushed_at: Date | null;
  stock_error: string | null;
  stock_error_code: string | null;
  stock_error_at: Date | null;
  price_wanted_seq: Generated<number>;
  price_done_seq: Generated<number>;
  price_pushed: string | null;
  price_pushed_currency: string | null;
  price_pushed_at: Date | null;
  price_error: string | null;
  price_error_code: string | null;
  price_error_at: Date | null;
  price_locked_amount: string | null;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  sign_in_links: SignInLinksTable;
  sessions: SessionsTable;
  stores: StoresTable;
  api_keys: ApiKeysTable;
  oauth_states: OauthStatesTable;
  grants: GrantsTable;
  grant_shops: GrantShopsTable;
  connections: ConnectionsTable;
  orders: OrdersTable;
  order_line_items: OrderLineItemsTable;
  order_packages: OrderPackagesTable;
  order_status_history: OrderStatusHistoryTable;
  webhook_events: WebhookEventsTable;
  rate_limits: RateLimitsTable;
  leases: LeasesTable;
  locations: LocationsTable;
  platform_skus: PlatformSkusTable;
  stock_levels: StockLevelsTable;
  currency_rates: CurrencyRatesTable;
  tiktok_warehouses: TiktokWarehousesTable;
  warehouse_mappings: WarehouseMappingsTable;
  tiktok_products: TiktokProductsTable;
  tiktok_skus: TiktokSkusTable;
  sku_links: SkuLinksTable;
  sku_push_state: SkuPushStateTable;
}
