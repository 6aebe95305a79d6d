// A small seeded PRNG (mulberry32) and the draws the generator needs. Everything the generator
// produces comes from one of these, so a seed fixes the output byte for byte. Math.random is
// never used. Child streams (fork) keep one host's noise independent of another's.

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Pick by weight: [item, weight] pairs. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** An exponential gap with the given mean (a Poisson process's inter-arrival time). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex(digits: number): string {
    let s = '';
    while (s.length < digits) s += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return s.slice(0, digits);
  }

  /** An independent stream derived from this one and a label. */
  fork(label: string): Prng {
    return new Prng((this.int(0, 0xffffffff) ^ hashString(label)) >>> 0);
  }
}

/** FNV-1a over UTF-16 code units: stable, fast, good enough to derive ids from names. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A deterministic hex digest of a string (not a real hash function: synthetic file hashes). */
export function pseudoDigest(s: string, hexDigits: number): string {
  let out = '';
  let h = hashString(s);
  let i = 0;
  while (out.length < hexDigits) {
    h = hashString(`${i++}:${s}`, h);
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, hexDigits);
}
