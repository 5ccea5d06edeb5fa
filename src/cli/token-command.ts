import { callApi, CliError, describeFailure, type ClientOptions } from './api-client.ts';

export async function tokenCreateCommand(client: ClientOptions, options: { name?: string; role?: string; json: boolean }): Promise<number> {
  if (!options.name) throw new CliError('token create needs --name NAME');
  if (!options.role) throw new CliError('token create needs --role admin|comms|support|verifier');
  const response = await callApi(client, 'POST', 'api/v1/tokens', { name: options.name, role: options.role });
  if (response.status !== 201) throw new CliError(`token create failed: ${describeFailure(response)}`);
  const token = response.body as { id: string; name: string; role: string; token: string };
  if (options.json) process.stdout.write(`${JSON.stringify(token)}\n`);
  else {
    process.stdout.write(`${token.token}\n`);
    process.stderr.write(`Created ${token.role} token "${token.name}" (${token.id}). It is shown only this once; store it now.\n`);
  }
  return 0;
}
