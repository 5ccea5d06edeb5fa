// npm run bench [-- import|verify|send|wave|throttle|enrol|support|funnel|legacy-load|hooks|export|store] [--rows N]: runs the benchmarks and appends the figures to docs/benchmarks.md.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { machine } from './bench-server.ts';
import { importBench } from './import.bench.ts';
import { verifyBench } from './verify.bench.ts';
import { shaCryptBench } from './sha-crypt.bench.ts'; // npm run bench -- sha-crypt (also in the default run)
import { sendPipelineBench, throttleAccuracyBench, waveCreationBench } from './campaign.bench.ts';
import { enrolPageBench } from './enrol.bench.ts';
import { supportSearchBench } from './support.bench.ts';
import { funnelBench } from './funnel.bench.ts';
import { legacyLoadBench } from './legacy-load.bench.ts';
import { hooksBench } from './hooks.bench.ts';
import { exportBench } from './export.bench.ts';
import { storeBench } from './store.bench.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rows: { type: 'string', default: '1000000' }, 'no-record': { type: 'boolean', default: false }, 'throttle-minutes': { type: 'string', default: '10' } } });
const which = positionals.length ? positionals : ['import', 'verify', 'send', 'wave', 'throttle', 'enrol', 'support', 'funnel', 'legacy-load', 'hooks', 'export', 'store'];
const rows = Number(values.rows);
const lines: string[] = [`\n## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine()}\n`];

if (which.includes('import')) {
  const r = await importBench(rows, 39_001);
  lines.push(
    `**Import** (${rows.toLocaleString('en')} rows, ${(r.bytes / 1024 ** 2).toFixed(0)} MiB JSONL, through \`POST /api/v1/imports\` into PostgreSQL):`,
    '',
    '| measure | cutover import | plain `COPY` of the same rows (ceiling) |',
    '|---|---|---|',
    `| time | ${r.seconds.toFixed(1)} s | ${r.copySeconds.toFixed(1)} s |`,
    `| rows/s | **${Math.round(r.rowsPerSecond).toLocaleString('en')}** | ${Math.round(r.copyRowsPerSecond).toLocaleString('en')} |`,
    `| server peak RSS | **${r.peakRssMiB.toFixed(0)} MiB** | – |`,
    `| import time ÷ COPY time | **${r.ratio.toFixed(2)}×** | 1× |`,
    '',
    `Goal: ≥ 50,000 rows/s and peak RSS < 400 MB. Summary: paths ${JSON.stringify(r.summary.paths)}, formats ${JSON.stringify(r.summary.hash_formats)}.`,
    '',
  );
  console.log(lines.slice(-10).join('\n'));
}
if (which.includes('verify')) {
  const results = [await verifyBench(39_002, 20, 16), await verifyBench(39_003, 10, 1)];
  const bare = results[0]!.bareArgon2idMs;
  lines.push(
    `**Verify** (\`POST /api/v1/verify\`, ${results[0]!.users} users already on argon2id m=19456 t=2 p=1; the baseline is one bare argon2id verify in the same run, ${bare.toFixed(1)} ms):`,
    '',
    '| concurrency | requests/s | p50 | p90 | p99 | non-2xx | p50 ÷ bare verify |',
    '|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.concurrency} | **${r.requestsPerSecond.toFixed(1)}** | ${r.p50} ms | ${r.p90} ms | ${r.p99} ms | ${r.non2xx} | **${r.ratioP50ToBare.toFixed(2)}×** |`),
    '',
    `At concurrency 16 the CPU is the limit: ${results[0]!.concurrency} requests share 2 cores, each needing one ${bare.toFixed(0)} ms argon2id, so the ceiling is about ${(2000 / bare).toFixed(0)} requests/s and p50 is mostly queueing. Concurrency 1 shows cutover's own overhead per request.`,
    '',
  );
  console.log(lines.slice(-8).join('\n'));
}
if (which.includes('send')) {
  const r = await sendPipelineBench(5000);
  lines.push(
    `**Send pipeline** (${r.count.toLocaleString('en')} invitations, pacing off, from wave start to SMTP accept by \`smtp-server\` on loopback; 20 send jobs, 5 pooled SMTP connections):`,
    '',
    '| cutover | bare nodemailer loop, same server, pool and concurrency | cutover ÷ bare |',
    '|---|---|---|',
    `| **${r.perSecond.toFixed(0)}/s** (${r.seconds.toFixed(1)} s) | ${r.barePerSecond.toFixed(0)}/s (${r.bareSeconds.toFixed(1)} s) | **${r.ratio.toFixed(2)}** |`,
    '',
    'Goal: at least 500/s.',
    '',
  );
  console.log(lines.slice(-7).join('\n'));
}
if (which.includes('wave')) {
  const r = await waveCreationBench(Number(values.rows));
  lines.push(`**Wave creation**: a ${r.users.toLocaleString('en')}-user cohort → ${r.targeted.toLocaleString('en')} invitation rows and targeted events in **${r.seconds.toFixed(1)} s** (goal: under 30 s).`, '');
  console.log(lines.slice(-2).join('\n'));
}
if (which.includes('throttle')) {
  const r = await throttleAccuracyBench(Number(values['throttle-minutes']));
  const cap = Math.ceil(r.ratePerHour / 60) + 1;
  lines.push(`**Throttle accuracy** at ${r.ratePerHour.toLocaleString('en')}/h over ${r.minutes} minutes: ${r.sent} sent, largest 60-second window **${r.worstMinute}** (cap ${cap}), mean **${(r.meanShare * 100).toFixed(1)}%** of the rate (goal ≥ 98%).`, '');
  console.log(lines.slice(-2).join('\n'));
}
if (which.includes('enrol')) {
  const r = await enrolPageBench(39_010, 39_011);
  const row = (name: string, f: { requestsPerSecond: number; p50: number; p99: number; non2xx: number }) =>
    `| ${name} | **${f.requestsPerSecond.toFixed(0)}** | ${f.p50} ms | **${f.p99} ms** | ${f.non2xx} |`;
  lines.push(
    `**\`/enrol\` page** (autocannon, ${r.concurrency} connections, ${r.durationSeconds} s each; the baseline is a bare Express route in its own process rendering the same template and data):`,
    '',
    '| server | requests/s | p50 | p99 | non-2xx |',
    '|---|---|---|---|---|',
    row('cutover `GET /enrol` (Redis session, live invitation check, helmet)', r.cutover),
    row('bare Express + the same template', r.bare),
    '',
    `cutover serves **${((r.cutover.requestsPerSecond / r.bare.requestsPerSecond) * 100).toFixed(0)}%** of the bare route's requests/s (ratio ${(r.cutover.requestsPerSecond / r.bare.requestsPerSecond).toFixed(2)}), p99 ${(r.cutover.p99 / Math.max(1, r.bare.p99)).toFixed(2)}× the bare route's.`,
    '',
  );
  console.log(lines.slice(-8).join('\n'));
}
if (which.includes('support')) {
  const r = await supportSearchBench(rows, 39_020);
  const row = (name: string, s: { p50: number; p90: number; p99: number; max: number; n: number }) => `| ${name} | ${s.n} | ${s.p50} ms | ${s.p90} ms | **${s.p99} ms** | ${s.max} ms |`;
  lines.push(
    `**Support search** (\`GET /api/v1/support/users?q=\` over HTTP to \`cutover serve\` on PostgreSQL, ${r.users.toLocaleString('en')} users seeded in ${r.seedSeconds.toFixed(0)} s; one query at a time, kinds in turn; baseline: a primary-key lookup of a user row from a pg client, same database, same run):`,
    '',
    '| query | n | p50 | p90 | p99 | max |',
    '|---|---|---|---|---|---|',
    ...r.kinds.map((k) => row(`${k.kind} (\`${k.example}\`)`, k)),
    row('**all kinds**', r.all),
    row(`all kinds, ${r.concurrent.concurrency} at a time`, r.concurrent),
    row('baseline: `SELECT … WHERE id = $1`', r.baseline),
    '',
    `Goal: p99 under 200 ms. All kinds p99 ÷ baseline p99: ${(r.all.p99 / r.baseline.p99).toFixed(1)}×.`,
    '',
  );
  console.log(lines.slice(-(r.kinds.length + 8)).join('\n'));
}
if (which.includes('funnel')) {
  const r = await funnelBench(Number(values.rows));
  lines.push(
    `**Funnel API** (\`GET /api/v1/campaigns/:id/funnel\`, in-process through HTTP, ${r.requests} sequential requests; a campaign of ${r.invitations.toLocaleString('en')} invitations and ${r.events.toLocaleString('en')} funnel events over 14 days, read from ${r.rollupRows.toLocaleString('en')} rollup rows):`,
    '',
    '| measure | funnel API | bare `SELECT count(*)` over the campaign\'s invitations (same run) | stage counts computed live, no rollups (same run, once) |',
    '|---|---|---|---|',
    `| p50 | **${r.p50} ms** | ${r.baselineP50} ms | ${r.liveMs} ms |`,
    `| p90 / p99 | ${r.p90} / ${r.p99} ms | – | – |`,
    '',
    `Goal: p50 under 100 ms. The wave of ${r.invitations.toLocaleString('en')} was created in ${r.waveSeconds.toFixed(1)} s with the rollup trigger on (goal: under 30 s).`,
    '',
  );
  console.log(lines.slice(-9).join('\n'));
}
if (which.includes('legacy-load')) {
  const r = await legacyLoadBench();
  const row = (name: string, p: { p50: number; p99: number; max: number; n: number }) => `| ${name} | ${p.n} | ${p.p50} ms | **${p.p99} ms** | ${p.max} ms |`;
  const statuses = Object.entries(r.load.statuses).map(([status, n]) => `${n} × ${status}`).join(', ');
  lines.push(
    `**Legacy hash checks under load** (\`cutover\` in-process on PostgreSQL, hash-check pool of ${r.poolSize} workers; ${r.concurrency} clients at once send \`POST /api/v1/verify\` with wrong passwords for sha512-crypt rounds=656000 and bcrypt cost 12 users, so every request is a full legacy check, for ${r.seconds} s; \`/healthz\` polled every 20 ms and \`monitorEventLoopDelay\` sampled meanwhile; baseline: the same, idle, just before):`,
    '',
    '| measure | n | p50 | p99 | max |',
    '|---|---|---|---|---|',
    row('`/healthz` latency, idle (baseline)', r.idle.healthz),
    row('`/healthz` latency, under load', r.load.healthz),
    row('event-loop delay, idle (baseline)', r.idle.loopDelay),
    row('event-loop delay, under load', r.load.loopDelay),
    '',
    `Goal: \`/healthz\` p99 under 50 ms and event-loop delay p99 under 20 ms under load. ${r.load.verifies} verifies answered (${statuses}).`,
    '',
    `One sha512-crypt check at rounds=656000, CPU time (least of 3): ours **${r.sha512.oursCpuMs.toFixed(0)} ms**, glibc crypt(3) (C, through python3) ${r.sha512.cCpuMs.toFixed(0)} ms in the same run: **${(r.sha512.oursCpuMs / r.sha512.cCpuMs).toFixed(2)}×** C (${r.sha512.workerMs.toFixed(0)} ms wall in a pool worker at nice +10, after the load). bcrypt cost 12 (CPU, least of 3): @node-rs/bcrypt **${r.bcrypt12.nativeMs.toFixed(0)} ms**, our EksBlowfish (kept for \`$2x$\`) ${r.bcrypt12.oursMs.toFixed(0)} ms (${(r.bcrypt12.oursMs / r.bcrypt12.nativeMs).toFixed(2)}×).`,
    '',
    `The cost model's estimates here (CPU ms, against LEGACY_HASH_MAX_MS=1000): ${Object.entries(r.estimates).map(([name, ms]) => `${name} ${ms}`).join('; ')}.`,
    '',
  );
  console.log(lines.slice(-14).join('\n'));
}
if (!positionals.length) which.push('sha-crypt');
if (which.includes('sha-crypt')) {
  const r = shaCryptBench();
  const ms = (f: { median: number }) => `${f.median.toFixed(0)} ms`;
  lines.push(
    `**sha-crypt at passlib's defaults** (one check each, CPU time, median of ${r.runs} runs interleaved; C is glibc's crypt(3) through python3 \`crypt\`, timed inside Python; load average ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after, on 2 cores):`,
    '',
    '| format | rounds | ours (WebAssembly rounds) | C crypt(3) | ours ÷ C | node:crypto hash per round (before) | before ÷ ours |',
    '|---|---|---|---|---|---|---|',
    ...r.rows.map((row) => `| ${row.format} | ${row.rounds.toLocaleString('en')} | **${ms(row.ours)}** | ${ms(row.c)} | **${(row.ours.median / row.c.median).toFixed(2)}×** | ${ms(row.perRoundNodeCrypto)} | ${(row.perRoundNodeCrypto.median / row.ours.median).toFixed(1)}× |`),
    '',
    `Runs (ms): ${r.rows.map((row) => `${row.format} ours ${row.ours.runs.join(', ')}; C ${row.c.runs.join(', ')}; before ${row.perRoundNodeCrypto.runs.join(', ')}`).join('. ')}.`,
    '',
  );
  console.log(lines.slice(-8).join('\n'));
}
if (which.includes('hooks')) {
  const { users, results, outcomes, load } = await hooksBench(39_020);
  const verify = results.filter((r) => r.name === 'POST /api/v1/verify');
  const baseP99 = Math.max(...verify.map((r) => r.p99));
  lines.push(
    `**Platform hooks** (each endpoint at concurrency 16 for 8 s against ${users.toLocaleString('en')} users on argon2id m=19456 t=2 p=1, one request per user so no call is a replay; \`POST /api/v1/verify\` first and last in the same server as the baseline; ${process.env.BENCH_REDIS_URL ? 'setup 3: short-lived state and queues in Redis' : 'setup 2: short-lived state and queues in PostgreSQL'}):`,
    '',
    '| endpoint | requests | requests/s | p50 | p99 | non-2xx | p99 ÷ verify p99 (the higher of its two runs) |',
    '|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.requests} | ${r.requestsPerSecond.toFixed(1)} | ${r.p50} ms | ${r.p99} ms | ${r.non2xx} | ${r.name === 'POST /api/v1/verify' ? '–' : `**${(r.p99 / baseP99).toFixed(2)}×**`} |`),
    '',
    'Goal: p99 under 500 ms, and each hook within 1.1× of `/api/v1/verify`.',
    '',
    `Attempts recorded (platform, outcome): ${Object.entries(outcomes).map(([k, n]) => `${k} ${n}`).join(', ')} (the Keycloak GET records none). Load average at the end: ${load}.`,
    '',
  );
  console.log(lines.slice(-16).join('\n'));
}
if (which.includes('export')) {
  const users = values.rows === '1000000' ? 100_000 : rows;
  const r = await exportBench(users, 39_030);
  lines.push(
    `**Export** (\`cutover export --target T\` as a child process, a client of \`GET /api/v1/exports/:target\` on \`cutover serve\` ${process.env.BENCH_COMPILED === '1' ? '(both compiled: dist/main.js, as the image runs them)' : '(both from the checkout: TypeScript through tsx)'} over PostgreSQL; ${r.users.toLocaleString('en')} enrolled users, each with an argon2id password, half with an authenticator app (decrypted on the way), one in ten with a passkey; seeded in ${r.seedSeconds.toFixed(0)} s; baseline: \`COPY (SELECT users ⟕ passwords ⟕ TOTP ORDER BY id) TO STDOUT\` of the same rows, same run, ${r.baselineSeconds.toFixed(1)} s = ${Math.round(r.users / r.baselineSeconds).toLocaleString('en')} rows/s):`,
    '',
    '| target | time (with CLI start) | users/s | ÷ COPY baseline time | files | bytes | server RSS before → peak | CLI peak RSS |',
    '|---|---|---|---|---|---|---|---|',
    ...r.results.map((x) => `| ${x.target} | ${x.seconds.toFixed(1)} s | **${Math.round(x.rowsPerSecond).toLocaleString('en')}** | ${(x.seconds / r.baselineSeconds).toFixed(1)}× | ${x.files} | ${(x.bytes / 1024 ** 2).toFixed(0)} MiB | ${x.serverRssBeforeMiB.toFixed(0)} → **${x.serverPeakRssMiB.toFixed(0)} MiB** | ${x.cliPeakRssMiB.toFixed(0)} MiB |`),
    '',
    `Goal: peak RSS under 300 MB, streamed. Load average at the end: ${r.load}.`,
    '',
  );
  console.log(lines.slice(-8).join('\n'));
}
if (which.includes('store')) {
  const r = await storeBench(16, 5);
  const n = (x: number) => Math.round(x).toLocaleString('en');
  lines.push(
    `**Short-lived store** (src/storage/short-lived/, ${r.concurrency} concurrent callers in one process for ${r.seconds} s each; increments over 1,000 keys per caller; each get-and-delete takes a value set just before, timed alone; baseline: the backend's bare round trip, \`PING\` or \`SELECT 1\`, same run, same concurrency):`,
    '',
    '| store | baseline round trips/s | increment/s | get-and-delete/s | increment ÷ baseline |',
    '|---|---|---|---|---|',
    ...r.rows.map((row) => `| ${row.store} | ${n(row.baseline)} | **${n(row.increment)}** | **${n(row.take)}** | ${(row.increment / row.baseline).toFixed(2)} |`),
    '',
    `Load average at the end: ${r.load}.`,
    '',
  );
  console.log(lines.slice(-(r.rows.length + 7)).join('\n'));
}
if (!values['no-record']) {
  if (!existsSync('docs/benchmarks.md')) {
    writeFileSync('docs/benchmarks.md', '# Benchmarks\n\nFigures from `npm run bench`, newest last. Each run records its date and machine beside its same-run baseline.\n');
  }
  appendFileSync('docs/benchmarks.md', lines.join('\n'));
}
process.exit(0);
