import type { ExportTarget } from '../export-user.ts';
import type { TargetWriter } from '../target-writer.ts';
import { auth0Writer } from './auth0.ts';
import { keycloakWriter } from './keycloak.ts';
import { oktaWriter } from './okta.ts';

/**
 * The writer of each target. A target listed in EXPORT_TARGETS without a writer here answers 501
 * `{"error":"target_not_built"}` (kratos, fusionauth and zitadel come with their own branch).
 */
export const TARGET_WRITERS: Partial<Record<ExportTarget, TargetWriter>> = {
  auth0: auth0Writer,
  keycloak: keycloakWriter,
  okta: oktaWriter,
};
