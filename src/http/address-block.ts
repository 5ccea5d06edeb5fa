import { isIPv4, isIPv6 } from 'node:net';

/**
 * The block a per-address limit counts: an IPv4 address as it is, an IPv6 address by its /64. One IPv6 client
 * (a home line, a cloud VM) is handed a whole /64, so counting single addresses would let it rotate past any
 * limit. An IPv4-mapped address (::ffff:192.0.2.1) counts as its IPv4 address.
 */
export function addressBlock(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  // An embedded IPv4 tail (…:192.0.2.1) is two groups, and lies past the first four anyway.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => (g.includes('.') ? g : String(parseInt(g, 16).toString(16)))).join(':')}::/64`;
}
