/** The target platforms whose own contracts cutover speaks (issue 12); `auth0` comes through its custom-database scripts. */
export const PLATFORMS = ['okta', 'kratos', 'keycloak', 'fusionauth', 'cognito', 'auth0'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * How long each platform waits for an answer, from its docs; cutover answers within it, and the legacy system gets
 * what is left. Okta: 3 s, one retry (okta-developer-docs, inline hooks "Timeout and retry"). FusionAuth: the
 * connector's read timeout defaults to 2000 ms, "under 1 s is best" (fusionauth-site, generic-connector). Cognito:
 * 5 s (awsdocs, user-pool-lambda-migrate-user); our forwarder uses 4.5 s of it. Kratos and Keycloak: their webhook
 * and REST client timeouts are settings; 3 s is assumed. Auth0: about 20 s per script (auth0/docs, custom-db
 * execution); its script budget is its own.
 */
export const PLATFORM_BUDGET_MS: Record<Platform, number> = {
  okta: 2_800, kratos: 2_800, keycloak: 2_800, fusionauth: 1_800, cognito: 4_500, auth0: 10_000,
};
