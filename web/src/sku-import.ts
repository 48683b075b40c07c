import { CsvSyntaxError, parseCsv } from './csv.ts';

/** Maximum rows in one `POST /skus/import` request, the limit of the server's request schema. */
export const IMPORT_BATCH_SIZE = 5000;

/** Columns that every import file starts with. Each column after them is a location code. */
export const IMPORT_COLUMNS = ['sku', 'title', 'price', 'currency'] as const;

/**
 * Largest on-hand count that the database's `integer` column of stock levels can store. The
 * server does not check this bound and returns a 500 for a larger count.
 */
const MAX_UNITS = 2_147_483_647;

const LOCATION_CODE = /^[A-Za-z0-9._-]+$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
const WHOLE_NUMBER = /^\d+$/;

/** One item of the `POST /skus/import` request body. */
export interface SkuImportItem {
  sku: string;
  title: string;
  price?: string;
  currency?: string;
  stock?: { location: string; onHand: number }[];
}

/** An import item with the 1-based line of the CSV text that it came from. */
export interface ImportRow {
  line: number;
  item: SkuImportItem;
}

export interface ParsedSkuCsv {
  /** Location codes of the header, in column order. */
  locations: string[];
  rows: ImportRow[];
}

function parseHeader(fields: string[], line: number): string[] {
  const names = fields.map((field) => field.trim());
  const expected = IMPORT_COLUMNS.join(',');
  const leading = names.slice(0, IMPORT_COLUMNS.length).map((name) => name.toLowerCase());
  if (leading.join(',') !== expected) {
    throw new CsvSyntaxError(
      line,
      `the header must start with ${expected}, followed by one column per location code, but it starts with ${names.slice(0, IMPORT_COLUMNS.length).join(',')}.`,
    );
  }
  const locations = names.slice(IMPORT_COLUMNS.length);
  const seen = new Set<string>();
  for (const [offset, code] of locations.entries()) {
    const column = IMPORT_COLUMNS.length + offset + 1;
    if (!LOCATION_CODE.test(code) || code.length > 64) {
      throw new CsvSyntaxError(
        line,
        `column ${column} of the header is "${code}", which is not a location code: use 1 to 64 letters, digits, dots, dashes or underscores.`,
      );
    }
    if (seen.has(code)) {
      throw new CsvSyntaxError(line, `location ${code} is a column of the header twice.`);
    }
    seen.add(code);
  }
  return locations;
}

function parseRow(fields: string[], line: number, locations: string[]): SkuImportItem {
  const columns = IMPORT_COLUMNS.length + locations.length;
  if (fields.length !== columns) {
    throw new CsvSyntaxError(
      line,
      `the row has ${fields.length} fields, but the header has ${columns}; put quotes around a field that contains a comma.`,
    );
  }
  const [sku, title, price, currency, ...units] = fields.map((field) => field.trim()) as [
    string,
    string,
    string,
    string,
    ...string[],
  ];

  if (sku === '') throw new CsvSyntaxError(line, 'sku is empty.');
  if (sku.length > 128) {
    throw new CsvSyntaxError(line, `sku ${sku.slice(0, 20)}… is longer than 128 characters.`);
  }
  if (title === '') throw new CsvSyntaxError(line, `title of SKU ${sku} is empty.`);
  if (title.length > 500) {
    throw new CsvSyntaxError(line, `title of SKU ${sku} is longer than 500 characters.`);
  }

  const item: SkuImportItem = { sku, title };
  if (price !== '') {
    if (!DECIMAL.test(price)) {
      throw new CsvSyntaxError(
        line,
        `price "${price}" of SKU ${sku} is not a decimal number such as 12.50.`,
      );
    }
    item.price = price;
  }
  if (currency !== '') {
    if (!CURRENCY.test(currency)) {
      throw new CsvSyntaxError(
        line,
        `currency "${currency}" of SKU ${sku} is not an ISO 4217 code in capitals, such as USD.`,
      );
    }
    item.currency = currency;
  }

  const stock: { location: string; onHand: number }[] = [];
  for (const [offset, cell] of units.entries()) {
    // An empty cell leaves the stock at that location as it is.
    if (cell === '') continue;
    const location = locations[offset]!;
    if (!WHOLE_NUMBER.test(cell) || Number(cell) > MAX_UNITS) {
      throw new CsvSyntaxError(
        line,
        `stock "${cell}" of SKU ${sku} at ${location} is not a whole number of units from 0 to ${MAX_UNITS}.`,
      );
    }
    stock.push({ location, onHand: Number(cell) });
  }
  if (stock.length > 0) item.stock = stock;
  return item;
}

/**
 * Parses import CSV into request items. The header is `sku,title,price,currency` and then one
 * column per location code, whose cells are on-hand units. Empty price, currency and stock cells
 * are left out of the item, so the server keeps what it has (or uses the store currency for a new
 * SKU). Rows whose fields are all empty are skipped. Raises CsvSyntaxError, naming the line, for
 * malformed CSV, a bad value or a SKU listed twice.
 */
export function parseSkuCsv(text: string): ParsedSkuCsv {
  const records = parseCsv(text).filter((record) =>
    record.fields.some((field) => field.trim() !== ''),
  );
  const [header, ...body] = records;
  if (!header) return { locations: [], rows: [] };
  const locations = parseHeader(header.fields, header.line);
  const linesBySku = new Map<string, number>();
  const rows = body.map((record): ImportRow => {
    const item = parseRow(record.fields, record.line, locations);
    const earlier = linesBySku.get(item.sku);
    // The server rejects a repeat only within one request, so a repeat across batches would
    // silently overwrite the earlier row.
    if (earlier !== undefined) {
      throw new CsvSyntaxError(
        record.line,
        `SKU ${item.sku} is already on line ${earlier}; list each SKU once.`,
      );
    }
    linesBySku.set(item.sku, record.line);
    return { line: record.line, item };
  });
  return { locations, rows };
}

/** Splits rows into consecutive batches of at most `size` rows. */
export function batchRows(rows: ImportRow[], size = IMPORT_BATCH_SIZE): ImportRow[][] {
  const batches: ImportRow[][] = [];
  for (let start = 0; start < rows.length; start += size) {
    batches.push(rows.slice(start, start + size));
  }
  return batches;
}

/**
 * Returns the CSV lines of the rows that a server message names. The server names a row of the
 * request as `items[N]` in its own checks and as `items.N` in schema errors, counting from 0
 * within the request. It names no row when the request has only one, so that row is returned.
 */
export function linesNamedBy(message: string, batch: ImportRow[]): number[] {
  const lines = new Set<number>();
  for (const match of message.matchAll(/\bitems(?:\[(\d+)\]|\.(\d+))/g)) {
    const row = batch[Number(match[1] ?? match[2])];
    if (row) lines.add(row.line);
  }
  if (lines.size === 0 && batch.length === 1) lines.add(batch[0]!.line);
  return [...lines];
}
