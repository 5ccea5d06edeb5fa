/**
 * Request and response samples from each platform's own docs, used as the OpenAPI examples and by the tests
 * (test/hooks.test.ts), with the credentials as parameters.
 */

/** okta-developer-docs, reference/password-hook, "Sample JSON Payload of Request". */
export const oktaRequestSample = (username = 'stuart.minion@okta.com', password = 'ADRumble@6') => ({
  eventId: 'GOsk4z6tSSeZo6X08MvKaw',
  eventTime: '2019-08-27T18:07:24.000Z',
  eventType: 'com.okta.user.credential.password.import',
  eventTypeVersion: '1.0',
  contentType: 'application/json',
  cloudEventVersion: '0.1',
  source: 'https://${yourOktaDomain}/api/v1/inlineHooks/${hookId}',
  data: {
    context: {
      request: { id: 'XWVxW2zcaH5-Ii74OsI6CgAACJw', method: 'POST', url: { value: '/api/v1/authn' }, ipAddress: '98.124.153.138' },
      credential: { username, password },
    },
    action: { credential: 'UNVERIFIED' },
  },
});
/** The same reference, "Sample JSON Payload of Response"; UNVERIFIED is its refusal. */
export const oktaResponseSample = (credential: 'VERIFIED' | 'UNVERIFIED' = 'VERIFIED') => ({ commands: [{ type: 'com.okta.action.update' as const, value: { credential } }] });

/** ory/docs, kratos import-user-accounts-identities, "password migration web hook": the default body and answer. */
export const kratosRequestSample = (identifier = 'user@example.com', password = 'the password') => ({ identifier, password });
export const kratosResponseSample = { status: 'password_match' as const };

/** daniel-frak/keycloak-user-migration README, "Example REST client behavior" (booleans as JSON booleans). */
export const keycloakUserSample = {
  id: '12345678', username: 'bob', email: 'bob@company.com', firstName: 'Bob', lastName: 'Smith', enabled: true, emailVerified: true,
  attributes: { position: ['rockstar-developer'], likes: ['cats', 'dogs', 'cookies'] }, roles: ['admin'], groups: ['migrated_users'],
  requiredActions: ['CONFIGURE_TOTP', 'UPDATE_PASSWORD', 'UPDATE_PROFILE', 'update_user_locale'],
  totps: [{ name: 'cutover', secret: 'JBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'HmacSHA1' as const, encoding: 'BASE32' as const }],
};
export const keycloakPasswordSample = { password: 'password123' };

/** fusionauth-site, the generic connector guide, "Build an API": "an example of what you might see from FusionAuth". */
export const fusionAuthRequestSample = (loginId = 'example@fusionauth.io', password = 'password') => ({
  loginId, password, applicationId: '10000000-0000-0002-0000-000000000001', noJWT: false, ipAddress: '192.168.1.42',
});
export const fusionAuthResponseSample = {
  user: {
    id: '00000000-0000-4000-8000-000000000001', email: 'example@fusionauth.io', verified: true, active: true, firstName: 'Example', lastName: 'User',
    registrations: [{ applicationId: '10000000-0000-0002-0000-000000000001', verified: true }], data: { legacy_id: 'u-1001' },
  },
};

/**
 * awsdocs/amazon-cognito-developer-guide, user-pool-lambda-migrate-user, "Migrate user Lambda trigger parameters",
 * with the common parameters of every trigger (cognito-user-pools-working-with-lambda-triggers).
 */
export const cognitoEventSample = (triggerSource = 'UserMigration_Authentication', userName = 'user@example.com', password: string | null = 'the password') => ({
  version: '1', triggerSource, region: 'us-east-1', userPoolId: 'us-east-1_EXAMPLE', userName,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
  request: { ...(password === null ? {} : { password }), validationData: null, clientMetadata: {} },
  response: {},
});
export const cognitoResponseSample = {
  userAttributes: { email: 'user@example.com', email_verified: 'true', name: 'Example User' },
  finalUserStatus: 'CONFIRMED' as const, messageAction: 'SUPPRESS' as const,
};
