import type { CsvValue } from '../http/csv.ts';
import type { FunnelReport } from './funnel-report.ts';

export const FUNNEL_CSV_HEADER = ['section', 'key', 'name', 'metric', 'value'];

/** The funnel as long-format CSV rows: one figure a row, so every split fits one table. */
export function funnelCsvRows(report: FunnelReport): CsvValue[][] {
  const rows: CsvValue[][] = [];
  for (const s of report.stages) {
    rows.push(['stage', s.stage, '', 'users', s.users]);
    if (s.conversion !== undefined) rows.push(['stage', s.stage, '', 'conversion', s.conversion], ['stage', s.stage, '', 'drop_off', s.drop_off]);
  }
  for (const [outcome, users] of Object.entries(report.outcomes)) rows.push(['outcome', outcome, '', 'users', users]);
  for (const [method, users] of Object.entries(report.methods)) rows.push(['method', method, '', 'enrolled', users]);
  for (const [method, counts] of Object.entries(report.by_method)) {
    for (const [stage, users] of Object.entries(counts)) rows.push(['by_method', method, '', stage, users]);
  }
  rows.push(['time_to_enrol_hours', 'p50', '', 'hours', report.time_to_enrol_hours.p50], ['time_to_enrol_hours', 'p90', '', 'hours', report.time_to_enrol_hours.p90]);
  for (const [mail, users] of Object.entries(report.by_mail)) rows.push(['by_mail', mail, '', 'enrolled', users]);
  for (const [platform, users] of Object.entries(report.by_platform)) rows.push(['by_platform', platform, '', 'enrolled', users]);
  for (const [section, list] of [['by_wave', report.by_wave], ['by_locale', report.by_locale]] as const) {
    for (const split of list) {
      for (const [stage, users] of Object.entries(split.stages)) rows.push([section, split.key, split.name ?? '', stage, users]);
      rows.push([section, split.key, split.name ?? '', 'conversion', split.conversion]);
    }
  }
  for (const day of report.over_time) {
    const { date, conversion, ...stages } = day;
    for (const [stage, users] of Object.entries(stages)) rows.push(['over_time', date, '', stage, users]);
    rows.push(['over_time', date, '', 'conversion', conversion]);
  }
  return rows;
}
