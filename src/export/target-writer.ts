// The contract between the export pipeline (read users → stream → files + summary) and one target's writer.
// A writer is pure: it turns one ExportUser into records for one or more named files of that target, and lists
// what the target cannot take. The pipeline owns reading, streaming, file splitting (maxBytes / maxItems), mode 0600,
// encryption, auditing and the summary.
import type { ExportRefusal, ExportTarget, ExportUser } from './export-user.ts';

export interface ExportContext {
  /** BASE_URL's host: the RP ID of passkeys whose rp_id column is NULL */
  baseUrlHost: string;
  /** the RP ID the target platform uses (WEBAUTHN_RP_ID unless the operator says otherwise) */
  targetRpId: string;
  /** leave these credential kinds out (for example a Kratos without TOTP/passkey import) */
  omit: ReadonlySet<'totp' | 'passkey'>;
}

export interface FileLayout {
  /** json-array: `[…]`; json-lines: one JSON value per line; json-object: `{"<wrapKey>": […]}` */
  form: 'json-array' | 'json-lines' | 'json-object';
  wrapKey?: string;
  /** split into numbered parts so that no part exceeds this many bytes (Auth0's 500 KB import limit) */
  maxBytes?: number;
  /** …or this many records (Kratos' 1,000 identities per PATCH) */
  maxItems?: number;
  /**
   * Where a record of this file names its user, for `cutover export confirm`: a dotted path to the cutover user id
   * (`kind: user_id`), or to the login (the email) when the platform's import shape has no room for our id. Files
   * without it (Auth0's passkey calls) are not read by confirm.
   */
  confirmBy?: { field: string; kind: 'user_id' | 'login' };
}

export interface ExportRecord {
  /** a key of the writer's `files` */
  file: string;
  record: unknown;
}

export interface TargetWriter {
  target: ExportTarget;
  files: Record<string, FileLayout>;
  write(user: ExportUser, context: ExportContext): { records: ExportRecord[]; refusals: ExportRefusal[] };
}
