import type { OrderRecord } from './types.ts';

export type SortField = 'create_time' | 'update_time';

/** Compares decimal id strings numerically: ids are 18-19 digits, so shorter sorts first. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Returns the sort key of an order for a sort field, in Unix seconds. */
export function sortTime(order: OrderRecord, field: SortField): number {
  return field === 'create_time' ? order.createTime : order.updateTime;
}

/** Compares a (time, id) position against an order in ascending order. */
function comparePosition(time: number, id: string, order: OrderRecord, field: SortField): number {
  const orderTime = sortTime(order, field);
  return time !== orderTime ? time - orderTime : compareIds(id, order.id);
}

/**
 * Orders of one shop kept sorted ascending by (time, id) for one sort field, so that a search
 * finds its window and its page position by binary search instead of scanning or sorting.
 */
export class SortedOrderList {
  readonly items: OrderRecord[] = [];

  constructor(readonly field: SortField) {}

  /** Returns the first index whose (time, id) is greater than the position, or equal when inclusive. */
  lowerBound(time: number, id: string, isInclusive = true): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const cmp = comparePosition(time, id, this.items[mid]!, this.field);
      if (cmp > 0 || (cmp === 0 && !isInclusive)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Returns the first index whose time is at least `time` (seconds). */
  firstAtOrAfter(time: number): number {
    return this.lowerBound(time, '', true);
  }

  insert(order: OrderRecord): void {
    const index = this.lowerBound(sortTime(order, this.field), order.id);
    this.items.splice(index, 0, order);
  }

  /** Removes an order that was inserted with the given sort time. */
  remove(order: OrderRecord, time: number): void {
    const index = this.lowerBound(time, order.id);
    if (this.items[index] !== order) throw new Error(`order ${order.id} missing from the index`);
    this.items.splice(index, 1);
  }
}
