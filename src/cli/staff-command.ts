import { callApi, CliError, describeFailure, type ClientOptions } from './api-client.ts';

/** `cutover staff add`: creates a console account; the setup link goes out by mail (and is printed when the server answers it). */
export async function staffAddCommand(client: ClientOptions, options: { email?: string; role?: string; json: boolean }): Promise<number> {
  if (!options.email) throw new CliError('staff add needs --email EMAIL');
  if (!options.role) throw new CliError('staff add needs --role admin|comms|support');
  const response = await callApi(client, 'POST', 'api/v1/staff', { email: options.email, role: options.role });
  if (response.status !== 201) throw new CliError(`staff add failed: ${describeFailure(response)}`);
  const staff = response.body as { id: string; email: string; role: string; mailed: boolean; setup_url?: string; setup_expires_at: string };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(staff)}\n`);
    return 0;
  }
  if (staff.setup_url) process.stdout.write(`${staff.setup_url}\n`);
  const how = staff.mailed ? `The setup link was mailed to ${staff.email}` : 'No mail went out: send them the link above yourself';
  process.stderr.write(`Added ${staff.email} as ${staff.role} (${staff.id}). ${how}; it works once, until ${staff.setup_expires_at}.\n`);
  return 0;
}
