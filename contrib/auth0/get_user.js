/**
 * Auth0 custom database "Get User" script (import mode): asks cutover whether the user exists (Auth0 calls it on
 * sign-up and password reset). "Not found" is callback(null). Settings as for login.js; the token must be a
 * verifier token (cutover refuses admin tokens here).
 */
async function getUser(email, callback) {
  let response;
  try {
    response = await fetch(new URL('/hooks/auth0/users/' + encodeURIComponent(email), configuration.CUTOVER_URL), {
      headers: { authorization: 'Bearer ' + configuration.CUTOVER_TOKEN },
      redirect: 'error',
      signal: AbortSignal.timeout(10000),
    });
  } catch (error) {
    return callback(new Error('cutover could not be reached: ' + error.message));
  }
  if (response.status === 404) return callback(null);
  if (response.status !== 200) return callback(new Error('cutover answered HTTP ' + response.status));
  return callback(null, await response.json());
}
