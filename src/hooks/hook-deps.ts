import type { Config } from '../config/load-config.ts';
import type { Queryable } from '../storage/db.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import type { HookVerifier } from './hook-verifier.ts';

/** What the platform adapters share. */
export interface HookDeps {
  hooks: HookVerifier;
  db: Queryable;
  box: SecretBox;
  config: Pick<Config, 'COGNITO_LEGACY_ID_ATTRIBUTE'>;
}
