import type { Config } from '../config/load-config.ts';

/** Who passkeys are made for and checked against: the RP ID they are bound to, and the one origin that may use them. */
export interface RelyingParty {
  /** WEBAUTHN_RP_ID: BASE_URL's host, or a registrable suffix of it (checked at startup). */
  rpID: string;
  /** BASE_URL's origin. The RP ID may be a parent domain, but only this origin's pages may run a ceremony. */
  origin: string;
}

/** The one place the relying party is computed, for enrolment and sign-in alike. */
export function relyingParty(config: Pick<Config, 'BASE_URL' | 'WEBAUTHN_RP_ID'>): RelyingParty {
  return { rpID: config.WEBAUTHN_RP_ID, origin: new URL(config.BASE_URL).origin };
}
