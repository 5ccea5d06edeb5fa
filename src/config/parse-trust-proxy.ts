import { isIP } from 'node:net';

/** What express's `trust proxy` takes: nobody, a hop count, or the addresses and subnets of trusted proxies. */
export type TrustProxy = false | number | string[];

// proxy-addr's names (express uses it): loopback 127.0.0.1/8 and ::1; linklocal 169.254.0.0/16 and fe80::/10;
// uniquelocal 10/8, 172.16/12, 192.168/16 and fc00::/7.
const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: which peers may say who the client is (X-Forwarded-For). `false` or `none` trusts no one, a number
 * trusts that many hops, else a comma list of names, addresses and CIDR subnets. `true` (trust everyone) is
 * refused: any client could then choose its own address. Returns the reason when the value is not one of these.
 */
export function parseTrustProxy(value: string): TrustProxy | { problem: string } {
  const text = value.trim();
  if (text === 'false' || text === 'none') return false;
  if (text === 'true') return { problem: 'true would let any client choose its address; name the proxies (loopback, 10.0.0.0/8, …) or a hop count' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10 ? hops : { problem: 'a hop count must be 1 to 10' };
  }
  const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = entries.filter((entry) => !NAMES.has(entry) && !isAddressOrSubnet(entry));
  if (entries.length === 0 || bad.length > 0) {
    return { problem: `${bad.length ? `${bad.map((b) => JSON.stringify(b)).join(', ')} is not` : 'give'} loopback, linklocal, uniquelocal, an IP address or a CIDR subnet` };
  }
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
