// The cidr modifier: IPv4 and IPv6 networks. Addresses are parsed strictly; a field value that is
// not an address simply does not match. IPv4-mapped IPv6 (::ffff:a.b.c.d) is compared as IPv4.

function parseV4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const x = Number(p);
    if (x > 255) return undefined;
    n = n * 256 + x;
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tailV4: number | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    text = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) n = (n & ~0xffffffffn) | BigInt(tailV4);
  return n;
}

type Addr = { v: 4; n: number } | { v: 6; n: bigint };

function parseAddr(s: string): Addr | undefined {
  const t = s.trim().replace(/^\[|\]$/g, '');
  const v4 = parseV4(t);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = parseV6(t);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v: 4, n: Number(v6 & 0xffffffffn) };
  return { v: 6, n: v6 };
}

/** A test for membership in `cidr` ("10.0.0.0/8", "fe80::/10", or a single address), or undefined. */
export function parseCidr(cidr: string): ((addr: string) => boolean) | undefined {
  const [ip, lenText, extra] = cidr.trim().split('/');
  if (extra !== undefined) return undefined;
  const net = parseAddr(ip);
  if (!net) return undefined;
  const max = net.v === 4 ? 32 : 128;
  const len = lenText === undefined ? max : /^[0-9]{1,3}$/.test(lenText) ? Number(lenText) : Number.NaN;
  if (!(len >= 0 && len <= max)) return undefined;
  if (net.v === 4) {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    const base = (net.n & mask) >>> 0;
    return (s) => {
      const a = parseAddr(s);
      return a?.v === 4 && ((a.n & mask) >>> 0) === base;
    };
  }
  const mask6 = len === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - len)) - 1n);
  const base6 = net.n & mask6;
  return (s) => {
    const a = parseAddr(s);
    return a?.v === 6 && (a.n & mask6) === base6;
  };
}
