// Deterministic ids from text: finding ids stable across runs on the same evidence, and UUIDs for
// generated Sigma rules (RFC 9562 version 8, "custom": the bits are a hash of the rule's identity,
// so the same cluster always gets the same rule id). Not cryptographic; collisions only cost a
// duplicated id, never a lost finding.

function fnv1a32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SEEDS = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** 64-bit hex id. */
export function stableId(text: string): string {
  return hex32(fnv1a32(text, SEEDS[0])) + hex32(fnv1a32(text, SEEDS[1]));
}

/** A deterministic UUID (version 8, variant 10) for the given text. */
export function stableUuid(text: string): string {
  const h = SEEDS.map((s) => hex32(fnv1a32(text, s))).join('');
  const v = '8' + h.slice(13, 16);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${v}-${variant}-${h.slice(20, 32)}`;
}
