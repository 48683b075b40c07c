/** A seedable pseudo-random source, so that fault injection and seeding repeat in tests. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Whether an event of the given probability (0 to 1) happens. */
  chance(probability: number): boolean;
  digits(count: number): string;
  /** URL-safe base64 characters. */
  token(length: number): string;
  shuffle<T>(items: T[]): T[];
  /** The generator's 32-bit state, for a snapshot. */
  getState(): number;
  /** Continues the sequence from a state that getState returned. */
  setState(state: number): void;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Creates a Random from a 32-bit seed with the mulberry32 generator. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (probability) => probability > 0 && next() < probability,
    digits: (count) => {
      let out = '';
      for (let i = 0; i < count; i++) out += String(int(0, 9));
      return out;
    },
    token: (length) => {
      let out = '';
      for (let i = 0; i < length; i++) out += TOKEN_ALPHABET[int(0, 63)];
      return out;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(0, i);
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
    getState: () => state,
    setState: (value) => {
      state = value >>> 0;
    },
  };
}
