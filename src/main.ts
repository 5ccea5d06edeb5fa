import { parseArgs } from 'node:util';
import { CliError, type ClientOptions } from './cli/api-client.ts';
import { importCommand } from './cli/import-command.ts';
import { runServer, type ServerRole } from './cli/run-server.ts';
import { migrateCommand } from './cli/migrate-command.ts';
import { tokenCreateCommand } from './cli/token-command.ts';
import { staffAddCommand } from './cli/staff-command.ts';
import { campaignCreateCommand, waveActionCommand, waveCreateCommand, waveStatusCommand } from './cli/campaign-command.ts';
import { ConfigError } from './config/load-config.ts';
import { exportCommand, exportConfirmCommand, exportDecryptCommand } from './cli/export-command.ts';
import { StartupError } from './config/startup-error.ts';

const USAGE = `cutover: move customer identities off a legacy login system

Usage:
  cutover serve                     web app and workers in one process (the default)
  cutover web | worker              the two halves apart, for scale-out (needs DATABASE_URL; REDIS_URL for high rates)
  cutover migrate [--json]          applies the database migrations and exits (as the tables' owner)
  cutover import FILE [--dry-run] [--default-path jit|reset] [--on-unsupported-hash reject|jit|reset]
                      [--hash-dialect django|werkzeug|joomla|vbulletin|mybb|ipb]
                      [--format jsonl|csv] [--json]
  cutover token create --name NAME --role admin|comms|support|verifier [--json]
  cutover staff add --email EMAIL --role admin|comms|support [--json]
  cutover campaign create FILE.json [--json]
  cutover wave create CAMPAIGN_ID FILE.json [--json]
  cutover wave pause|resume|cancel WAVE_ID [--revoke-links] [--json]
  cutover wave status WAVE_ID [--json]      follows the counts live on a terminal
  cutover export --target auth0|keycloak|kratos|fusionauth|zitadel|okta [--out DIR] [--since ISO]
                 [--rp-id HOST] [--omit totp,passkey] [--passphrase-file FILE] [--json]
  cutover export confirm --target TARGET FILE... [--passphrase-file FILE] [--json]
  cutover export decrypt --passphrase-file FILE FILE.enc...

Client commands talk to a running server:
  --url URL       default $CUTOVER_URL, else http://localhost:$PORT
  --token TOKEN   default $CUTOVER_TOKEN, else $CUTOVER_ADMIN_TOKEN

Import exit codes: 0 every row accepted, 2 completed with rejected rows, 1 failed.
Export exit codes: 0 everything went, 2 complete but some users or credentials could not go (listed), 1 failed.
Server exit codes: 1 bad configuration or failure, 69 a configured PostgreSQL or Redis unreachable,
  78 a mode the configuration cannot run ("cutover web" or "worker" on the embedded database).
`;

// The CLI's own defaults; the server's environment is validated in config/ when a server starts.
function clientOptions(values: { url?: string; token?: string }, env: NodeJS.ProcessEnv): ClientOptions {
  return {
    url: values.url ?? env.CUTOVER_URL ?? `http://localhost:${env.PORT ?? 3000}`,
    token: values.token ?? env.CUTOVER_TOKEN ?? env.CUTOVER_ADMIN_TOKEN,
  };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false }, 'default-path': { type: 'string' },
      'on-unsupported-hash': { type: 'string' }, 'hash-dialect': { type: 'string' }, format: { type: 'string' },
      name: { type: 'string' }, role: { type: 'string' }, email: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
      'revoke-links': { type: 'boolean', default: false },
      target: { type: 'string' }, out: { type: 'string' }, since: { type: 'string' }, 'rp-id': { type: 'string' },
      omit: { type: 'string' }, 'passphrase-file': { type: 'string' },
    },
  });
  const [command = 'serve', ...rest] = positionals;
  if (values.help || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (command) {
    case 'serve':
    case 'web':
    case 'worker':
      await runServer(command as ServerRole);
      return -1; // keeps running until a signal
    case 'migrate':
      return migrateCommand(values.json);
    case 'import':
      if (!rest[0]) throw new CliError('import needs a FILE (JSON Lines or CSV)');
      return importCommand(clientOptions(values, env), {
        file: rest[0], dryRun: values['dry-run'], defaultPath: values['default-path'],
        onUnsupportedHash: values['on-unsupported-hash'], hashDialect: values['hash-dialect'], format: values.format, json: values.json,
      });
    case 'token':
      if (rest[0] !== 'create') throw new CliError('usage: cutover token create --name NAME --role ROLE');
      return tokenCreateCommand(clientOptions(values, env), { name: values.name, role: values.role, json: values.json });
    case 'campaign':
      if (rest[0] !== 'create' || !rest[1]) throw new CliError('usage: cutover campaign create FILE.json');
      return campaignCreateCommand(clientOptions(values, env), rest[1], values.json);
    case 'wave': {
      const [action, id, file] = rest;
      if (action === 'create' && id && file) return waveCreateCommand(clientOptions(values, env), id, file, values.json);
      if ((action === 'pause' || action === 'resume' || action === 'cancel') && id) return waveActionCommand(clientOptions(values, env), action, id, values['revoke-links'], values.json);
      if (action === 'status' && id) return waveStatusCommand(clientOptions(values, env), id, values.json);
      throw new CliError('usage: cutover wave create CAMPAIGN_ID FILE.json | wave pause|resume|cancel|status WAVE_ID');
    }
    case 'staff':
      if (rest[0] !== 'add') throw new CliError('usage: cutover staff add --email EMAIL --role admin|comms|support');
      return staffAddCommand(clientOptions(values, env), { email: values.email, role: values.role, json: values.json });
    case 'export':
      if (rest[0] === 'confirm') return exportConfirmCommand(clientOptions(values, env), { target: values.target, files: rest.slice(1), passphraseFile: values['passphrase-file'], json: values.json });
      if (rest[0] === 'decrypt') return exportDecryptCommand({ files: rest.slice(1), passphraseFile: values['passphrase-file'] });
      if (rest.length) throw new CliError('usage: cutover export --target TARGET [--out DIR] | export confirm --target TARGET FILE... | export decrypt FILE.enc...');
      return exportCommand(clientOptions(values, env), {
        target: values.target, out: values.out, since: values.since, rpId: values['rp-id'], omit: values.omit,
        passphraseFile: values['passphrase-file'], json: values.json,
      });
    default:
      throw new CliError(`unknown command "${command}"; run "cutover help"`);
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof StartupError) {
      process.stderr.write(`cutover: ${error.message}\n`);
      process.exitCode = error.exitCode;
      process.exit(error.exitCode);
    }
    if (error instanceof ConfigError || error instanceof CliError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`cutover: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`cutover: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
    process.exit(1);
  },
);
