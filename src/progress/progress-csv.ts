import type { CsvValue } from '../http/csv.ts';
import type { ProgressReport } from './progress-report.ts';

export const PROGRESS_CSV_HEADER = ['section', 'key', 'metric', 'value'];

/** Everything on the progress page, one figure a row. */
export function progressCsvRows(report: ProgressReport): CsvValue[][] {
  const rows: CsvValue[][] = [];
  for (const [path, states] of Object.entries(report.users.by_path)) {
    for (const [state, users] of Object.entries(states)) rows.push(['users', path, state, users]);
  }
  rows.push(['users', 'all', 'total', report.users.total]);
  rows.push(['off_legacy', 'all', 'users', report.off_legacy.users], ['off_legacy', 'all', 'share', report.off_legacy.share]);
  for (const [key, users] of Object.entries(report.legacy_dependence)) rows.push(['legacy_dependence', key, 'users', users]);
  for (const day of report.legacy_verifications.days) {
    rows.push(['legacy_verifications', day.date, 'legacy_calls', day.legacy_calls], ['legacy_verifications', day.date, 'verifications', day.verifications]);
  }
  const p = report.projection;
  rows.push(['projection', 'pace', 'moved_off', p.moved_off], ['projection', 'pace', 'per_day', p.per_day], ['projection', 'pace', 'window_days', p.window_days],
    ['projection', 'legacy', 'remaining', p.remaining], ['projection', 'legacy', 'days_left', p.days_left], ['projection', 'legacy', 'projected_date', p.projected_date]);
  const o = report.ownership;
  rows.push(['ownership', 'all', 'target_platform', o.target_platform], ['ownership', 'all', 'legacy', o.legacy], ['ownership', 'all', 'cutover', o.cutover]);
  for (const [platform, users] of Object.entries(o.by_platform)) rows.push(['ownership', platform, 'handed_off', users]);
  for (const campaign of report.helpdesk.campaigns) {
    for (const day of campaign.days) {
      rows.push([`helpdesk:${campaign.name}`, day.date, 'contacts', day.contacts], [`helpdesk:${campaign.name}`, day.date, 'capacity', day.capacity]);
    }
  }
  return rows;
}
