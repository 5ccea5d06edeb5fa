import { isIP } from 'node:net';
import type { Config } from './load-config.ts';

/**
 * Settings that start but will not work as the deployment expects; startup logs each as a warning.
 * With an IP address in BASE_URL the WebAuthn RP ID can only be that address (check-rp-id.ts), and an RP ID must be
 * a domain name (WebAuthn Level 2, §5.1.3 step 8 and the "valid domain string" it requires): browsers refuse
 * passkeys on an IP address.
 */
export function deploymentWarnings(config: Pick<Config, 'BASE_URL' | 'DEV_OUTBOX_PUBLIC' | 'SMTP_URL'>): string[] {
  const warnings: string[] = [];
  const host = new URL(config.BASE_URL).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    warnings.push(`BASE_URL's host ${host} is an IP address: browsers refuse passkeys there (the WebAuthn RP ID must be a domain name). Use a host name; localhost works for development`);
  }
  if (config.DEV_OUTBOX_PUBLIC && !config.SMTP_URL) {
    warnings.push('DEV_OUTBOX_PUBLIC=true: anyone who reaches this server can read the dev outbox, staff setup links included');
  }
  return warnings;
}
