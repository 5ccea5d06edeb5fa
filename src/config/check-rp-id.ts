import { isIP } from 'node:net';
import { parse } from 'tldts';

/**
 * Why `rpId` cannot be the WebAuthn RP ID for pages served at `host` (BASE_URL's host), or null when it can.
 *
 * WebAuthn Level 2 §5.1.3 step 8 (and §5.1.4.1 step 7): the RP ID must be "a registrable domain suffix of or is
 * equal to" the origin's effective domain, as the HTML Standard defines it (§7.2.3.1):
 *   - equal to the host: always allowed (this is the only choice for an IP address or localhost);
 *   - otherwise both must be domains, hostSuffix prefixed by "." must match the end of the host, and it must not
 *     be a public suffix, nor a suffix of the host's public suffix.
 * Public suffixes come from the Public Suffix List (tldts), private section included: `github.io` is as public
 * as `com` to a browser, since every `*.github.io` site belongs to somebody else.
 */
export function rpIdProblem(rpId: string, host: string): string | null {
  if (rpId === host) return null;
  if (!/^[a-z0-9.-]+$/.test(rpId) || rpId.startsWith('.') || rpId.endsWith('.') || rpId.includes('..')) {
    return 'must be a host name as BASE_URL writes it: lowercase letters, digits, dots and hyphens (punycode for international names), no scheme, port or trailing dot';
  }
  const bareHost = host.replace(/^\[|\]$/g, '');
  if (isIP(bareHost)) return `BASE_URL's host ${bareHost} is an IP address: the RP ID must be that address itself`;
  if (host === 'localhost' || host.endsWith('.localhost')) return `BASE_URL's host is ${host}: the RP ID must be that host itself`;
  if (!host.endsWith(`.${rpId}`)) return `must be BASE_URL's host ${host} or a suffix of it at a dot (such as ${parentOf(host)})`;
  const publicSuffix = parse(host, { allowPrivateDomains: true }).publicSuffix;
  const own = parse(rpId, { allowPrivateDomains: true }).publicSuffix;
  if (own === rpId || (publicSuffix !== null && (publicSuffix === rpId || publicSuffix.endsWith(`.${rpId}`)))) {
    return `${rpId} is a public suffix (Public Suffix List): browsers refuse it as an RP ID, since sites under it belong to different owners`;
  }
  return null;
}

/** The host's registrable domain, for the message: what the operator most likely meant. */
function parentOf(host: string): string {
  return parse(host, { allowPrivateDomains: true }).domain ?? host;
}
