import { FUNNEL_OUTCOMES, FUNNEL_STAGES } from './record-funnel-event.ts';

export type StageName = (typeof FUNNEL_STAGES)[number];
export type OutcomeName = (typeof FUNNEL_OUTCOMES)[number];
export type StageCounts = Record<StageName, number>;

export interface FunnelStage {
  stage: StageName;
  /** Distinct users who reached the stage. */
  users: number;
  /** Against the stage before (absent on the first stage; null when the stage before has no one). */
  conversion?: number | null;
  /** Users of the stage before who did not reach this one. */
  drop_off?: number;
  /** Against `targeted`. */
  of_targeted: number | null;
}

export interface FunnelSplit {
  key: string;
  name?: string;
  stages: StageCounts;
  /** enrolled ÷ sent */
  conversion: number | null;
}

export interface FunnelDay extends StageCounts {
  date: string;
  /** Enrolled so far ÷ sent so far, up to and including this day. */
  conversion: number | null;
}

/** The answer of GET /api/v1/campaigns/:id/funnel and /waves/:id/funnel (the first six fields are fixed by issue 5). */
export interface FunnelReport {
  stages: FunnelStage[];
  outcomes: Record<OutcomeName, number>;
  /** Enrolled users by method. */
  methods: Record<string, number>;
  time_to_enrol_hours: { p50: number | null; p90: number | null; resolution_hours: number; users: number };
  /** Enrolled users by the mail whose link they came from. */
  by_mail: Record<string, number>;
  /** Enrolled users by platform. */
  by_platform: Record<string, number>;
  scope: { kind: 'campaign' | 'wave'; campaign_id: string; campaign_name: string; wave_id?: string; wave_name?: string };
  generated_at: string;
  /** Started, enrolled and verified users by method. */
  by_method: Record<string, { started: number; enrolled: number; verified: number }>;
  /** Each wave's stages (campaign scope only). */
  by_wave: FunnelSplit[];
  /** Stages by the user's locale, from `sent` on (targeted is not split). */
  by_locale: FunnelSplit[];
  /** Users reaching each stage per UTC day, and the running conversion. */
  over_time: FunnelDay[];
  /** Invited users whose password a target platform took over after a hook's successful answer (issue 12). */
  handed_off: number;
}

export const emptyStageCounts = (): StageCounts => Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as StageCounts;

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** The stages in order with conversion and drop-off against the stage before. */
export function stageList(counts: StageCounts): FunnelStage[] {
  return FUNNEL_STAGES.map((stage, i) => {
    const users = counts[stage];
    const of_targeted = ratio(users, counts.targeted);
    if (i === 0) return { stage, users, of_targeted };
    const before = counts[FUNNEL_STAGES[i - 1]!];
    return { stage, users, conversion: ratio(users, before), drop_off: Math.max(0, before - users), of_targeted };
  });
}

/** p50 and p90 from 6-minute buckets (tenths of an hour), as the bucket's midpoint in hours. */
export function percentilesFromTenths(buckets: Array<{ tenths: number; users: number }>): { p50: number | null; p90: number | null; users: number } {
  const sorted = [...buckets].sort((a, b) => a.tenths - b.tenths);
  const users = sorted.reduce((sum, b) => sum + b.users, 0);
  const at = (q: number): number | null => {
    if (users === 0) return null;
    let seen = 0;
    for (const bucket of sorted) {
      seen += bucket.users;
      if (seen >= q * users) return Math.round((bucket.tenths + 0.5) * 10) / 100;
    }
    return null;
  };
  return { p50: at(0.5), p90: at(0.9), users };
}
