// AWS Lambda handler for the Cognito "Migrate user" trigger (Node.js 18+ runtime, global fetch): it forwards the
// event to cutover and returns it with cutover's `response`; any refusal throws, so Cognito refuses the sign-in.
// Environment: CUTOVER_URL (cutover's base URL), CUTOVER_TOKEN (a verifier API token), CUTOVER_TIMEOUT_MS (4500:
// Cognito waits 5 s for the Lambda).
export const handler = async (event) => {
  const response = await fetch(new URL('/hooks/cognito/user-migration', process.env.CUTOVER_URL), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.CUTOVER_TOKEN}` },
    body: JSON.stringify(event),
    redirect: 'error',
    signal: AbortSignal.timeout(Number(process.env.CUTOVER_TIMEOUT_MS ?? 4500)),
  });
  const answer = await response.json().catch(() => ({}));
  // Cognito shows this message to the user: cutover's is the same for every refusal.
  if (response.status !== 200) throw new Error(answer.message ?? `cutover answered HTTP ${response.status}`);
  return { ...event, response: answer.response };
};
