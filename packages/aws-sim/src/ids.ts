/** mulberry32: small, fast, and its whole state is one number, so it persists with the rest of the state. */
export class Prng {
  constructor(public state: number) {
    this.state = state >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }
  digits(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.next() * 10).toString();
    return s;
  }
}

/** Derives independent streams (ids, faults, request ids) from one seed. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export class IdMaker {
  constructor(public readonly rng: Prng) {}
  ec2(prefix: string): string {
    return `${prefix}-0${this.rng.hex(16)}`;
  }
  arnSuffix(): string {
    return this.rng.hex(16);
  }
  digits(n: number): string {
    return this.rng.digits(n);
  }
  ip(base: number, size: number): number {
    // Skip the 4 addresses AWS reserves at the start of a subnet and the broadcast at the end.
    return base + 4 + Math.floor(this.rng.next() * (size - 5));
  }
}

export function requestId(rng: Prng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Every public name the simulator hands out ends in this zone. `.invalid` is reserved by RFC 2606 and
 * RFC 6761 §6.4 to never resolve (resolvers may answer NXDOMAIN without asking anyone), unlike `.test`
 * (which a developer's local DNS may serve) or `example.com` (which resolves): a sandbox name pasted into
 * a browser or ssh reaches no one.
 */
export const SIM_DNS_ZONE = 'aws-sim.invalid';

/**
 * Public IPv4 addresses come only from the three documentation blocks of RFC 5737, which are never
 * routed on the internet; 203.0.113.10 is left out, as the sandbox's checkip answers it as "your IP".
 */
const DOCUMENTATION_BLOCKS = ['192.0.2', '198.51.100', '203.0.113'];
const CHECKIP_ADDRESS = '203.0.113.10';
export const DOCUMENTATION_IPV4 = DOCUMENTATION_BLOCKS.flatMap((block) =>
  Array.from({ length: 254 }, (_, i) => `${block}.${i + 1}`),
).filter((ip) => ip !== CHECKIP_ADDRESS);

/** A documentation address not in use, drawn from the seeded stream (AWS never gives two live instances one). */
export function documentationIpv4(rng: Prng, inUse: ReadonlySet<string>): string {
  const pool = DOCUMENTATION_IPV4;
  const start = Math.floor(rng.next() * pool.length);
  for (let k = 0; k < pool.length; k++) {
    const ip = pool[(start + k) % pool.length]!;
    if (!inUse.has(ip)) return ip;
  }
  throw new Error('aws-sim: every documentation address is in use');
}
