import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { callApi, CliError, describeFailure, type ClientOptions } from './api-client.ts';

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}: no such file`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

async function call(client: ClientOptions, method: string, path: string, body?: unknown, ok = [200, 201]): Promise<Record<string, unknown>> {
  const response = await callApi(client, method, path, body);
  if (!ok.includes(response.status)) throw new CliError(describeFailure(response));
  return response.body as Record<string, unknown>;
}

export async function campaignCreateCommand(client: ClientOptions, file: string, json: boolean): Promise<number> {
  const campaign = await call(client, 'POST', 'api/v1/campaigns', readJson(file));
  process.stdout.write(json ? `${JSON.stringify(campaign, null, 2)}\n` : `Campaign ${String(campaign.id)} "${String(campaign.name)}": ${String(campaign.throttle_explanation)}.\n`);
  return 0;
}

export async function waveCreateCommand(client: ClientOptions, campaignId: string, file: string, json: boolean): Promise<number> {
  const wave = await call(client, 'POST', `api/v1/campaigns/${encodeURIComponent(campaignId)}/waves`, readJson(file));
  if (json) process.stdout.write(`${JSON.stringify(wave, null, 2)}\n`);
  else {
    process.stdout.write(`Wave ${String(wave.id)} "${String(wave.name)}": ${Number(wave.targeted).toLocaleString('en')} users targeted, starts ${String(wave.start_at)}.\n`);
    for (const warning of (wave.warnings as string[]) ?? []) process.stdout.write(`  warning: ${warning}\n`);
  }
  return 0;
}

export async function waveActionCommand(client: ClientOptions, action: 'pause' | 'resume' | 'cancel', waveId: string, revokeLinks: boolean, json: boolean): Promise<number> {
  const wave = await call(client, 'POST', `api/v1/waves/${encodeURIComponent(waveId)}/${action}`, action === 'cancel' ? { revoke_links: revokeLinks } : {});
  process.stdout.write(json ? `${JSON.stringify(wave, null, 2)}\n` : `Wave ${waveId} is ${String(wave.state)}.\n`);
  return 0;
}

const n = (value: unknown) => Number(value ?? 0).toLocaleString('en');

function statusLines(wave: Record<string, unknown>): string[] {
  const targeted = Number(wave.targeted) || 0;
  const sent = Number(wave.sent) || 0;
  const width = 30;
  const filled = targeted ? Math.round((sent / targeted) * width) : 0;
  return [
    `Wave ${String(wave.name)} (${String(wave.id)}): ${String(wave.state)}`,
    `  [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${n(sent)} of ${n(targeted)} sent`,
    `  queued ${n(wave.queued)} · clicked ${n(wave.clicked)} · enrolled ${n(wave.enrolled)} · reminders ${n(wave.reminders_sent)}`,
    `  bounced ${n(wave.bounced)} · failed ${n(wave.failed)} · expired ${n(wave.expired)} · cancelled ${n(wave.cancelled)}`,
    `  rate ${n(wave.send_rate_per_hour)}/h · eta ${wave.eta ? new Date(String(wave.eta)).toLocaleString() : '–'}`,
  ];
}

/** Prints a wave's counts; on a terminal it follows them live until the wave ends or Ctrl-C. */
export async function waveStatusCommand(client: ClientOptions, waveId: string, json: boolean, intervalMs = 2000): Promise<number> {
  const follow = process.stdout.isTTY && !json;
  let drawn = 0;
  for (;;) {
    const wave = await call(client, 'GET', `api/v1/waves/${encodeURIComponent(waveId)}`);
    if (json) {
      process.stdout.write(`${JSON.stringify(wave, null, 2)}\n`);
      return 0;
    }
    const lines = statusLines(wave);
    if (drawn) process.stdout.write(`\x1b[${drawn}A`);
    process.stdout.write(lines.map((line) => `\x1b[2K${line}\n`).join(''));
    drawn = lines.length;
    if (!follow || wave.state === 'completed' || wave.state === 'cancelled') return 0;
    await sleep(intervalMs);
  }
}
