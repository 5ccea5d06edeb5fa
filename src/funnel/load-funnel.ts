import { NotFoundError } from '../http/app-error.ts';
import type { Queryable } from '../storage/db.ts';
import { isUuid } from '../storage/is-uuid.ts';
import {
  emptyStageCounts, percentilesFromTenths, ratio, stageList,
  type FunnelDay, type FunnelReport, type FunnelSplit, type OutcomeName, type StageCounts, type StageName,
} from './funnel-report.ts';
import { FUNNEL_OUTCOMES, FUNNEL_STAGES } from './record-funnel-event.ts';

export type FunnelScope = { campaignId: string } | { waveId: string };

interface RollupRow {
  stage: string;
  wave_id: string | null;
  locale: string | null;
  method: string | null;
  mail: string | null;
  platform: string | null;
  day: string | null;
  users: number;
  wave_users: number;
  g: number;
}

// GROUPING(wave_id, locale, method, mail, platform, day): a bit is set for each column a set leaves out.
const SET = { total: 63, wave: 31, locale: 47, method: 55, mail: 59, platform: 61, day: 62 } as const;
const NIL_WAVE = '00000000-0000-0000-0000-000000000000';

const isStage = (stage: string): stage is StageName => (FUNNEL_STAGES as readonly string[]).includes(stage);

/**
 * A campaign's or a wave's funnel, read from the rollups (006_funnel.sql): one grouping-sets query over a few
 * thousand rows, however many invitations there are. Campaign figures count each user once across its waves
 * (`campaign_users`); a wave's count its own (`wave_users`).
 */
export async function loadFunnel(db: Queryable, scope: FunnelScope): Promise<FunnelReport> {
  const target = await resolveScope(db, scope);
  const { rows } = await db.query<RollupRow>(
    `SELECT stage, wave_id::text, locale, method, mail, platform, day::text,
            sum(${target.kind === 'campaign' ? 'campaign_users' : 'wave_users'})::float8 AS users, sum(wave_users)::float8 AS wave_users,
            GROUPING(wave_id, locale, method, mail, platform, day) AS g
     FROM funnel_rollup
     WHERE campaign_id = $1 AND ($2::uuid IS NULL OR wave_id = $2)
     GROUP BY GROUPING SETS ((stage), (stage, wave_id), (stage, locale), (stage, method), (stage, mail), (stage, platform), (stage, day))`,
    [target.campaign_id, target.wave_id ?? null],
  );
  const { rows: hours } = await db.query<{ tenths: number; users: number }>(
    `SELECT tenths, sum(users)::float8 AS users FROM funnel_enrol_hours
     WHERE campaign_id = $1 AND ($2::uuid IS NULL OR wave_id = $2) GROUP BY tenths`,
    [target.campaign_id, target.wave_id ?? null],
  );

  const of = (set: number) => rows.filter((r) => r.g === set);
  const totals = emptyStageCounts();
  const outcomes = Object.fromEntries(FUNNEL_OUTCOMES.map((o) => [o, 0])) as Record<OutcomeName, number>;
  for (const row of of(SET.total)) {
    if (isStage(row.stage)) totals[row.stage] = row.users;
    else if (row.stage in outcomes) outcomes[row.stage as OutcomeName] = row.users;
  }
  const enrolledBy = (set: number, key: 'method' | 'mail' | 'platform') => Object.fromEntries(
    of(set).filter((r) => r.stage === 'enrolled' && r[key]).sort((a, b) => b.users - a.users).map((r) => [r[key]!, r.users]),
  );
  const byMethod: FunnelReport['by_method'] = {};
  for (const row of of(SET.method).filter((r) => r.method && ['started', 'enrolled', 'verified'].includes(r.stage))) {
    byMethod[row.method!] ??= { started: 0, enrolled: 0, verified: 0 };
    byMethod[row.method!]![row.stage as 'started'] = row.users;
  }
  const { p50, p90, users } = percentilesFromTenths(hours);

  return {
    stages: stageList(totals),
    outcomes,
    handed_off: of(SET.total).find((r) => r.stage === 'handed_off')?.users ?? 0,
    methods: enrolledBy(SET.method, 'method'),
    time_to_enrol_hours: { p50, p90, resolution_hours: 0.1, users },
    by_mail: enrolledBy(SET.mail, 'mail'),
    by_platform: enrolledBy(SET.platform, 'platform'),
    scope: target.kind === 'campaign'
      ? { kind: 'campaign', campaign_id: target.campaign_id, campaign_name: target.campaign_name }
      : { kind: 'wave', campaign_id: target.campaign_id, campaign_name: target.campaign_name, wave_id: target.wave_id!, wave_name: target.wave_name! },
    generated_at: new Date().toISOString(),
    by_method: byMethod,
    by_wave: target.kind === 'campaign' ? waveSplits(target.waves, of(SET.wave)) : [],
    by_locale: splits(of(SET.locale).filter((r) => r.locale), (r) => r.locale!),
    over_time: days(of(SET.day)),
  };
}

interface Target {
  kind: 'campaign' | 'wave';
  campaign_id: string;
  campaign_name: string;
  wave_id?: string;
  wave_name?: string;
  waves: Array<{ id: string; name: string }>;
}

async function resolveScope(db: Queryable, scope: FunnelScope): Promise<Target> {
  if ('waveId' in scope) {
    if (!isUuid(scope.waveId)) throw new NotFoundError('Wave');
    const { rows: [wave] } = await db.query<{ id: string; name: string; campaign_id: string; campaign_name: string }>(
      'SELECT w.id, w.name, w.campaign_id, c.name AS campaign_name FROM waves w JOIN campaigns c ON c.id = w.campaign_id WHERE w.id = $1', [scope.waveId],
    );
    if (!wave) throw new NotFoundError('Wave');
    return { kind: 'wave', campaign_id: wave.campaign_id, campaign_name: wave.campaign_name, wave_id: wave.id, wave_name: wave.name, waves: [wave] };
  }
  if (!isUuid(scope.campaignId)) throw new NotFoundError('Campaign');
  const { rows: [campaign] } = await db.query<{ id: string; name: string }>('SELECT id, name FROM campaigns WHERE id = $1', [scope.campaignId]);
  if (!campaign) throw new NotFoundError('Campaign');
  const { rows: waves } = await db.query<{ id: string; name: string }>('SELECT id, name FROM waves WHERE campaign_id = $1 ORDER BY created_at, id', [campaign.id]);
  return { kind: 'campaign', campaign_id: campaign.id, campaign_name: campaign.name, waves };
}

function splits(rows: RollupRow[], keyOf: (row: RollupRow) => string, count: (row: RollupRow) => number = (r) => r.users): FunnelSplit[] {
  const byKey = new Map<string, StageCounts>();
  for (const row of rows) {
    if (!isStage(row.stage)) continue;
    const counts = byKey.get(keyOf(row)) ?? emptyStageCounts();
    counts[row.stage] = count(row);
    byKey.set(keyOf(row), counts);
  }
  return [...byKey].map(([key, stages]) => ({ key, stages, conversion: ratio(stages.enrolled, stages.sent) }))
    .sort((a, b) => b.stages.sent - a.stages.sent || a.key.localeCompare(b.key));
}

/** Every wave of the campaign, in creation order, with its own distinct users (a user may be in two waves). */
function waveSplits(waves: Target['waves'], rows: RollupRow[]): FunnelSplit[] {
  const found = new Map(splits(rows.filter((r) => r.wave_id !== NIL_WAVE), (r) => r.wave_id!, (r) => r.wave_users).map((s) => [s.key, s]));
  return waves.map((wave) => ({ ...(found.get(wave.id) ?? { key: wave.id, stages: emptyStageCounts(), conversion: null }), name: wave.name }));
}

/** One entry per UTC day from the first event to the last, with the running conversion enrolled ÷ sent. */
function days(rows: RollupRow[]): FunnelDay[] {
  const byDay = new Map(splits(rows, (r) => r.day!).map((s) => [s.key, s.stages]));
  const dates = [...byDay.keys()].sort();
  if (dates.length === 0) return [];
  const out: FunnelDay[] = [];
  let sent = 0;
  let enrolled = 0;
  for (let t = Date.parse(`${dates[0]}T00:00:00Z`), end = Date.parse(`${dates.at(-1)}T00:00:00Z`); t <= end; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const stages = byDay.get(date) ?? emptyStageCounts();
    sent += stages.sent;
    enrolled += stages.enrolled;
    out.push({ date, ...stages, conversion: ratio(enrolled, sent) });
  }
  return out;
}
