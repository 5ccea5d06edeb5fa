/**
 * Auth0 custom database "Login" script (import mode): checks the password with cutover's POST /api/v1/verify.
 * Settings (the connection's configuration): CUTOVER_URL, cutover's base URL; CUTOVER_TOKEN, a verifier API token.
 * A user with an authenticator app comes back with mfa_factors, so Auth0 imports the app and asks for its code.
 */
async function login(userNameOrEmail, password, callback) {
  let response;
  try {
    response = await fetch(new URL('/api/v1/verify', configuration.CUTOVER_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + configuration.CUTOVER_TOKEN },
      body: JSON.stringify({ login: userNameOrEmail, password: password, platform: 'auth0' }),
      redirect: 'error',
      signal: AbortSignal.timeout(10000),
    });
  } catch (error) {
    return callback(new Error('cutover could not be reached: ' + error.message));
  }
  if (response.status === 401) return callback(new WrongUsernameOrPasswordError(userNameOrEmail, 'Wrong email or password.'));
  if (response.status !== 200) return callback(new Error('cutover answered HTTP ' + response.status + (response.status === 503 ? ': the legacy system cannot answer, try again' : '')));
  const body = await response.json();
  const user = body.user;
  const profile = { user_id: user.id || user.legacy_id, email: user.email, email_verified: user.email_verified === true, app_metadata: { legacy_id: user.legacy_id } };
  if (user.name) profile.name = user.name;
  if (user.given_name) profile.given_name = user.given_name;
  if (user.family_name) profile.family_name = user.family_name;
  if (body.totp) profile.mfa_factors = [{ totp: { secret: body.totp.secret } }];
  return callback(null, profile);
}
