import * as limits from './limits.js';

/**
 * Checks on single values that the schema refines with, each answering in words: a CIDR, an instance type's
 * architecture, a health check matcher.
 */

export function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const prefix = Number(bits);
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(address)) {
    return prefix <= 32 && address.split('.').every((octet) => Number(octet) <= 255);
  }
  return address.includes(':') && /^[0-9a-f:]+$/i.test(address) && prefix <= 128;
}

/** Graviton families carry a 'g' after the generation digit (t4g, m7gd, c6gn); a1 is the first Arm type. */
export function isArmInstanceType(type: string): boolean {
  return /^a1\./.test(type) || /^[a-z]+\d+[a-z]*g[a-z]*\./.test(type);
}

/**
 * A CIDR with host bits set (10.0.0.5/24) is not a network address: what to write instead, or
 * undefined when the value is fine (or not an IPv4 CIDR at all).
 */
export function cidrHostBitsFix(value: unknown): string | undefined {
  if (typeof value !== 'string' || !isCidr(value) || value.includes(':')) return undefined;
  const [address, bits] = value.split('/');
  const prefix = Number(bits);
  const number = address.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (number & mask) >>> 0;
  if (network === number) return undefined;
  const networkText = [24, 16, 8, 0].map((shift) => (network >>> shift) & 255).join('.');
  return `a network address (${value} has host bits set): ${networkText}/${prefix} for the whole block, or ${address}/32 for this one address`;
}

/**
 * A matcher AWS refuses for an Application Load Balancer, in words, or undefined when it is fine: every code
 * from 200 to 499, a range from low to high (limits.ts).
 */
export function matcherProblem(matcher: string): string | undefined {
  const codes = matcher.split(/[-,]/).map(Number);
  const outside = codes.find((code) => code < limits.MATCHER_CODE_MIN || code > limits.MATCHER_CODE_MAX);
  if (outside !== undefined)
    return `HTTP codes from ${limits.MATCHER_CODE_MIN} to ${limits.MATCHER_CODE_MAX} (an Application Load Balancer refuses ${outside})`;
  if (matcher.includes('-') && codes[0]! >= codes[1]!)
    return codes[0] === codes[1]
      ? `a range from a lower to a higher code, or the single code ${codes[0]}`
      : `a range from a lower to a higher code, such as ${codes[1]}-${codes[0]}`;
  return undefined;
}
