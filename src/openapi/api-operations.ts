import { z } from 'zod';
import { auditQuery } from '../audit/audit.schemas.ts';
import { campaignPatchSchema, campaignSchema, cancelWaveSchema, cohortSchema, waveSchema } from '../campaigns/campaign.schemas.ts';
import { formatQuery } from '../funnel/funnel.routes.ts';
import { auth0Profile } from '../hooks/auth0.hook.ts';
import { cognitoRequest, cognitoResponse } from '../hooks/cognito.hook.ts';
import * as samples from '../hooks/doc-samples.ts';
import { fusionAuthErrors, fusionAuthRequest, fusionAuthResponse } from '../hooks/fusionauth.hook.ts';
import { keycloakPasswordRequest, keycloakUser } from '../hooks/keycloak.hook.ts';
import { kratosRefusal, kratosRequest, kratosResponse } from '../hooks/kratos.hook.ts';
import { oktaRequest, oktaResponse } from '../hooks/okta.hook.ts';
import { createBody as createTokenBody } from '../tokens/token.routes.ts';
import { createStaffBody } from '../staff/staff.routes.ts';
import { clearLockoutSchema, contactSchema, extendSchema, liftSuppressionSchema, resendSchema, resetSchema, searchQuery } from '../support/support.schemas.ts';
import { genericBody as genericTicketBody } from '../feedback/helpdesk/generic.ts';
import { verifyBody } from '../migration/verify/verify.routes.ts';
import { confirmBody, exportQuery } from '../export/export.schemas.ts';
import { errorBody, jsonObject, verifyResult } from './api-schemas.ts';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  example?: unknown;
}

/** One route as the document describes it. `path` is in express form (`:id`); `roles` who may call it. */
export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  roles: string;
  body?: { schema: z.ZodType; example?: unknown; contentType?: string };
  query?: z.ZodObject;
  responses: Record<number, ResponseSpec>;
}

const oktaProblem = z.object({ error: z.object({ errorSummary: z.string(), errorCauses: z.array(z.object({ errorSummary: z.string(), reason: z.string(), locationType: z.string(), location: z.string() })).optional() }) });
const feedbackAnswers: Record<number, ResponseSpec> = {
  200: { description: 'Received (the same answer whether or not the address is known; a replay records nothing new)' },
  202: { description: 'Received but not counted (a Zendesk event without an email)' },
  401: { description: 'Missing or bad signature, a stale timestamp, or no secret set: nothing recorded', schema: errorBody },
  413: { description: 'Body over HOOKS_MAX_KB', schema: errorBody },
};
const ok = (description = 'Done', schema: z.ZodType = jsonObject): ResponseSpec => ({ description, schema });
const list = (description: string): ResponseSpec => ({ description, schema: z.object({}).passthrough() });

const api = (method: Operation['method'], path: string, summary: string, tag: string, roles: string, extra: Partial<Operation> = {}): Operation => ({
  method, path, summary, tag, roles, responses: { 200: ok() }, ...extra,
});

/** Every /api/v1 route and every hook. test/openapi.test.ts holds this list against the role matrix. */
export const OPERATIONS: Operation[] = [
  api('post', '/api/v1/verify', 'Check a login and password under the trust rules', 'sign-in', 'verifier', {
    body: { schema: verifyBody, example: { login: 'ada@example.com', password: 'correct horse battery staple', platform: 'auth0' } },
    responses: {
      200: { description: 'The password is right', schema: verifyResult, example: { verified: true, path: 'bulk_hash', rehashed: true, migrated: true, method: 'password', user: { id: '00000000-0000-4000-8000-000000000001', legacy_id: 'u-1', email: 'ada@example.com', email_verified: true, name: 'Ada', given_name: 'Ada', family_name: null, locale: null, timezone: null, phone: null, attributes: {}, path: 'bulk_hash', state: 'migrated' } } },
      401: { description: 'Wrong password, unknown login or reset-path user (one answer), or the authenticator code is needed (error totp_required)', schema: errorBody, example: { verified: false, error: 'invalid_credentials' } },
      429: { description: 'Too many failures for this login or address', schema: errorBody, example: { verified: false, retry_after: 60, error: 'too_many_attempts' } },
      503: { description: 'The legacy system cannot answer', schema: errorBody, example: { verified: false, error: 'legacy_unavailable' } },
    },
  }),
  api('get', '/api/v1/openapi.json', 'This document', 'meta', 'public'),
  api('post', '/api/v1/imports', 'Import users from JSON Lines or CSV (streamed)', 'imports', 'admin', { body: { schema: z.string(), contentType: 'application/x-ndjson' }, responses: { 201: ok('Import report') } }),
  api('get', '/api/v1/imports', 'List imports', 'imports', 'admin', { responses: { 200: list('Imports') } }),
  api('get', '/api/v1/imports/:id', 'One import', 'imports', 'admin'),
  api('get', '/api/v1/imports/:id/errors', 'An import\'s row errors, by line', 'imports', 'admin'),
  api('post', '/api/v1/tokens', 'Create an API token', 'tokens', 'admin', { body: { schema: createTokenBody, example: { name: 'okta hook', role: 'verifier' } }, responses: { 201: ok('The token, shown once') } }),
  api('get', '/api/v1/tokens', 'List API tokens', 'tokens', 'admin', { responses: { 200: list('Tokens') } }),
  api('delete', '/api/v1/tokens/:id', 'Revoke an API token', 'tokens', 'admin', { responses: { 204: { description: 'Revoked' } } }),
  api('post', '/api/v1/staff', 'Invite a staff member', 'staff', 'admin', { body: { schema: createStaffBody }, responses: { 201: ok('The staff member and a setup link') } }),
  api('get', '/api/v1/staff', 'List staff', 'staff', 'admin', { responses: { 200: list('Staff') } }),
  api('get', '/api/v1/staff/:id', 'One staff member', 'staff', 'admin'),
  api('post', '/api/v1/staff/:id/disable', 'Disable a staff member', 'staff', 'admin'),
  api('get', '/api/v1/audit', 'The audit log', 'audit', 'admin', { query: auditQuery }),
  api('post', '/api/v1/campaigns', 'Create a campaign', 'campaigns', 'comms', { body: { schema: campaignSchema }, responses: { 201: ok('The campaign') } }),
  api('get', '/api/v1/campaigns', 'List campaigns', 'campaigns', 'comms', { responses: { 200: list('Campaigns') } }),
  api('get', '/api/v1/campaigns/:id', 'One campaign', 'campaigns', 'comms'),
  api('patch', '/api/v1/campaigns/:id', 'Change a campaign', 'campaigns', 'comms', { body: { schema: campaignPatchSchema } }),
  api('post', '/api/v1/campaigns/:id/cancel', 'Cancel a campaign', 'campaigns', 'comms'),
  api('get', '/api/v1/campaigns/:id/forecast', 'A campaign\'s help-desk forecast', 'campaigns', 'comms'),
  api('post', '/api/v1/campaigns/:id/waves/preview', 'Count and sample a wave\'s cohort', 'campaigns', 'comms', { body: { schema: cohortSchema } }),
  api('post', '/api/v1/campaigns/:id/waves', 'Create a wave', 'campaigns', 'comms', { body: { schema: waveSchema }, responses: { 201: ok('The wave') } }),
  api('get', '/api/v1/campaigns/:id/funnel', 'A campaign\'s funnel (JSON or ?format=csv)', 'funnel', 'comms, support', { query: formatQuery }),
  api('get', '/api/v1/waves/:id', 'One wave', 'campaigns', 'comms'),
  api('post', '/api/v1/waves/:id/pause', 'Pause a wave', 'campaigns', 'comms'),
  api('post', '/api/v1/waves/:id/resume', 'Resume a wave', 'campaigns', 'comms'),
  api('post', '/api/v1/waves/:id/cancel', 'Cancel a wave', 'campaigns', 'comms', { body: { schema: cancelWaveSchema } }),
  api('get', '/api/v1/waves/:id/funnel', 'A wave\'s funnel (JSON or ?format=csv)', 'funnel', 'comms, support', { query: formatQuery }),
  api('get', '/api/v1/exports/:target', 'Export the users cutover holds credentials for, in the target platform\'s import shapes (NDJSON: an export header, {file, record} lines, a summary line)', 'exports', 'admin', {
    query: exportQuery,
    responses: {
      200: { description: 'NDJSON stream (application/x-ndjson); the last line is {"summary": …} with the refusals' },
      400: { description: 'Unknown target, or a bad since / rp_id / omit', schema: errorBody },
      429: { description: 'Too many exports running', schema: errorBody },
    },
  }),
  api('post', '/api/v1/exports/:target/confirm', 'The target imported these users: mark them handed off (idempotent)', 'exports', 'admin', {
    body: { schema: confirmBody, example: { user_ids: ['00000000-0000-4000-8000-000000000001'] } },
    responses: { 200: ok('Counts: matched, handed_off, already_handed_off, unknown'), 400: { description: 'Unknown target or bad ids', schema: errorBody } },
  }),
  api('get', '/api/v1/progress', 'Identity debt, and who each sign-in depends on (ownership: target platform, legacy, cutover)', 'progress', 'comms, support', { query: formatQuery }),
  api('get', '/api/v1/support/users', 'Find users', 'support', 'support', { query: searchQuery }),
  api('get', '/api/v1/support/users/:id', 'A user\'s story (credentials, invitations, verifications with platform, hand-over)', 'support', 'support'),
  api('post', '/api/v1/support/users/:id/resend-invitation', 'Resend the invitation', 'support', 'support', { body: { schema: resendSchema } }),
  api('post', '/api/v1/support/users/:id/extend-link', 'Extend the invitation link', 'support', 'support', { body: { schema: extendSchema } }),
  api('post', '/api/v1/support/users/:id/contacts', 'Record a help-desk contact', 'support', 'support', { body: { schema: contactSchema }, responses: { 201: ok('The contact') } }),
  api('post', '/api/v1/support/users/:id/clear-lockout', 'Clear every sign-in lock', 'support', 'support', { body: { schema: clearLockoutSchema } }),
  api('post', '/api/v1/support/users/:id/reset-enrolment', 'Reset the enrolment and send a new link', 'support', 'support', { body: { schema: resetSchema } }),
  api('post', '/api/v1/support/users/:id/lift-suppression', 'Lift the mail suppression of a user\'s address (audited)', 'support', 'support', { body: { schema: liftSuppressionSchema, example: { reason: 'the user fixed their mailbox' } } }),
  api('post', '/api/v1/support/contacts', 'Record a help-desk contact by email', 'support', 'support', { responses: { 201: ok('The contact') } }),

  // The hooks: each in its platform's own shapes (src/hooks/).
  api('post', '/hooks/okta/password-import', 'Okta password import inline hook', 'hooks', 'verifier', {
    body: { schema: oktaRequest, example: samples.oktaRequestSample() },
    responses: {
      200: { description: 'Always a command: VERIFIED, or UNVERIFIED for any refusal (never a 204)', schema: oktaResponse, example: samples.oktaResponseSample('VERIFIED') },
      400: { description: 'Malformed body, in Okta\'s error object', schema: oktaProblem, example: { error: { errorSummary: 'The request is not valid', errorCauses: [{ errorSummary: 'data.context.credential is required', reason: 'invalid_request', locationType: 'body', location: 'data.context.credential' }] } } },
      401: { description: 'No valid Bearer token', schema: oktaProblem, example: { error: { errorSummary: 'A valid bearer token is required' } } },
    },
  }),
  api('post', '/hooks/kratos/password-migration', 'Ory Kratos password migration hook', 'hooks', 'verifier', {
    body: { schema: kratosRequest, example: samples.kratosRequestSample() },
    responses: {
      200: { description: 'The password matches', schema: kratosResponse, example: samples.kratosResponseSample },
      403: { description: 'Wrong password, unknown or reset-path user', schema: kratosRefusal, example: { error: { code: 403, status: 'password_mismatch', message: 'the password does not match' } } },
      400: { description: 'Malformed body', schema: kratosRefusal, example: { error: { code: 400, status: 'invalid_request', reason: 'password is required', message: 'The request is not valid' } } },
      401: { description: 'No valid Bearer token', schema: kratosRefusal },
      503: { description: 'The legacy system cannot answer (Kratos: unexpected error)', schema: kratosRefusal },
    },
  }),
  api('get', '/hooks/keycloak/users/:username', 'Keycloak user lookup (keycloak-user-migration); TOTPs only over https or to a loopback caller', 'hooks', 'verifier only', {
    responses: {
      200: { description: 'The plugin\'s user JSON', schema: keycloakUser, example: samples.keycloakUserSample },
      404: { description: 'Unknown, or a reset-path user who has not enrolled', schema: errorBody, example: { error: 'not_found', message: 'User not found' } },
      401: { description: 'No valid Bearer token', schema: errorBody },
    },
  }),
  api('post', '/hooks/keycloak/users/:username', 'Keycloak password check (keycloak-user-migration)', 'hooks', 'verifier', {
    body: { schema: keycloakPasswordRequest, example: samples.keycloakPasswordSample },
    responses: { 200: { description: 'Valid' }, 401: { description: 'Invalid (or no valid Bearer token)', schema: errorBody }, 400: { description: 'Malformed body', schema: errorBody } },
  }),
  api('post', '/hooks/fusionauth/connector', 'FusionAuth Generic Connector', 'hooks', 'verifier', {
    body: { schema: fusionAuthRequest, example: samples.fusionAuthRequestSample() },
    responses: {
      200: { description: 'The user, with cutover\'s id as its stable UUID', schema: fusionAuthResponse, example: samples.fusionAuthResponseSample },
      404: { description: 'Unknown user or wrong password' },
      400: { description: 'Malformed body, in FusionAuth\'s Errors object', schema: fusionAuthErrors, example: { fieldErrors: { loginId: [{ code: '[invalid]loginId', message: 'loginId is required' }] } } },
      401: { description: 'No valid Bearer token', schema: fusionAuthErrors },
    },
  }),
  api('post', '/hooks/cognito/user-migration', 'AWS Cognito migrate user trigger (through contrib/cognito/user-migration.mjs)', 'hooks', 'verifier', {
    body: { schema: cognitoRequest, example: samples.cognitoEventSample() },
    responses: {
      200: { description: 'The event, with `response` filled in (and without the password)', schema: z.object({ response: cognitoResponse }).passthrough(), example: { ...samples.cognitoEventSample('UserMigration_Authentication', 'user@example.com', null), response: samples.cognitoResponseSample } },
      401: { description: 'Refused: the forwarder throws, and Cognito shows the message', schema: errorBody, example: { error: 'invalid_credentials', message: 'Incorrect username or password.' } },
      400: { description: 'Malformed event', schema: errorBody },
      503: { description: 'The legacy system cannot answer', schema: errorBody },
    },
  }),
  api('get', '/hooks/auth0/users/:login', 'Auth0 get_user (contrib/auth0/get_user.js)', 'hooks', 'verifier only', {
    responses: {
      200: { description: 'The Auth0 profile', schema: auth0Profile, example: { user_id: '00000000-0000-4000-8000-000000000001', email: 'ada@example.com', email_verified: true, name: 'Ada', app_metadata: { legacy_id: 'u-1' } } },
      404: { description: 'Not found (get_user answers callback(null))', schema: errorBody },
      401: { description: 'No valid Bearer token', schema: errorBody },
    },
  }),
  // Signed feedback webhooks (src/feedback/): each party's own signature over the raw body, no API token.
  ...([
    ['zendesk', 'Zendesk ticket webhook (X-Zendesk-Webhook-Signature over timestamp + body)'],
    ['jira', 'Jira Service Management webhook (X-Hub-Signature: sha256=…)'],
    ['helpscout', 'Help Scout webhook (X-HelpScout-Signature)'],
    ['intercom', 'Intercom webhook (X-Hub-Signature: sha1=…)'],
  ] as const).map(([desk, summary]) => api('post', `/hooks/helpdesk/${desk}`, summary, 'feedback', 'signed', { responses: feedbackAnswers })),
  api('post', '/hooks/helpdesk/generic', 'Any help desk: the documented body, signed X-Cutover-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>', 'feedback', 'signed', {
    body: { schema: genericTicketBody, example: { ticket_id: 'FD-1042', email: 'ada@example.com', channel: 'email', subject: 'Cannot open the link', created_at: '2026-12-01T09:30:00Z' } },
    responses: feedbackAnswers,
  }),
  ...([
    ['ses', 'Amazon SES through SNS (SNS signature v1/v2; SubscriptionConfirmation confirmed)'],
    ['sendgrid', 'SendGrid Event Webhook (ECDSA signature)'],
    ['postmark', 'Postmark webhook (HTTP Basic credentials)'],
    ['mailgun', 'Mailgun webhook (HMAC-SHA256 of timestamp + token)'],
  ] as const).map(([provider, summary]) => api('post', `/hooks/mail/${provider}`, summary, 'feedback', 'signed', { responses: feedbackAnswers })),
];

