import type { ExportTarget } from '../export-user.ts';
import type { TargetWriter } from '../target-writer.ts';
import { auth0Writer } from './auth0.ts';
import { fusionAuthWriter } from './fusionauth.ts';
import { kratosWriter } from './kratos.ts';
import { zitadelWriter } from './zitadel.ts';
import { keycloakWriter } from './keycloak.ts';
import { oktaWriter } from './okta.ts';

/** The writer of each target: the type makes a target in EXPORT_TARGETS without a writer a compile error. */
export const TARGET_WRITERS: Record<ExportTarget, TargetWriter> = {
  auth0: auth0Writer,
  keycloak: keycloakWriter,
  okta: oktaWriter,
  kratos: kratosWriter,
  fusionauth: fusionAuthWriter,
  zitadel: zitadelWriter,
};
