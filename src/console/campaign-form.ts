import type { z } from 'zod';
import { campaignSchema, waveSchema } from '../campaigns/campaign.schemas.ts';
import type { CampaignInput, CampaignView, WaveInput } from '../campaigns/campaign-types.ts';

type Form = Record<string, unknown>;
export type FieldErrors = Record<string, string>;

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** A form field as text: urlencoded bodies give a string, or an array when a name repeats. */
const text = (form: Form, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
const list = (form: Form, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
};
const number = (value: string) => (value === '' ? undefined : Number(value));
const splitList = (value: string) => value.split(/[\s,;]+/).map((v) => v.trim()).filter(Boolean);

/** The form's names for the schema's paths, so an error shows beside its field. */
function fieldOf(path: PropertyKey[]): string {
  const [first, second, index, last] = path.map(String);
  if (first === 'helpdesk' && second === 'hours') return `hours${index === '1' ? '2' : ''}_${last ?? 'days'}`;
  if (first === 'helpdesk') return second === 'contact_rate' ? 'contact_rate_percent' : second ?? 'helpdesk';
  if (first === 'cohort') return second ?? 'cohort';
  if (first === 'reminders_after_hours') return 'reminders';
  return first ?? 'form';
}

function parse<S extends z.ZodType>(schema: S, input: unknown): { value: z.infer<S> } | { errors: FieldErrors } {
  const result = schema.safeParse(input);
  if (result.success) return { value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[fieldOf(issue.path)] ??= issue.message;
  return { errors };
}

/** The campaign form (create and settings) into the API's campaign input, checked by the same schema. */
export function readCampaignForm(form: Form): { value: CampaignInput } | { errors: FieldErrors } {
  const hours = [['hours_days', 'hours_start', 'hours_end'], ['hours2_days', 'hours2_start', 'hours2_end']]
    .map(([days, start, end]) => ({ days: list(form, days!).map(Number), start: text(form, start!), end: text(form, end!) }))
    .filter((period, i) => i === 0 || period.days.length > 0);
  const percent = number(text(form, 'contact_rate_percent'));
  return parse(campaignSchema, {
    name: text(form, 'name'),
    locale: text(form, 'locale') || 'en',
    link_ttl_hours: number(text(form, 'link_ttl_hours')),
    reminders_after_hours: splitList(text(form, 'reminders')).map(Number),
    methods: list(form, 'methods'),
    max_per_hour: number(text(form, 'max_per_hour')) ?? null,
    helpdesk: {
      capacity_per_hour: number(text(form, 'capacity_per_hour')),
      contact_rate: percent === undefined ? undefined : percent / 100,
      timezone: text(form, 'timezone'),
      hours,
    },
  }) as { value: CampaignInput } | { errors: FieldErrors };
}

/** What the campaign form shows: a campaign's settings, the defaults for a new one, or what was just sent. */
export function campaignFormValues(source: CampaignView | Form | null): Record<string, unknown> {
  if (source === null) source = { name: '', locale: 'en', link_ttl_hours: '72', reminders: '48', methods: ['passkey', 'totp'], capacity_per_hour: '20', contact_rate_percent: '5', timezone: 'UTC', hours_days: ['1', '2', '3', '4', '5'], hours_start: '09:00', hours_end: '17:00' };
  if ('helpdesk' in source) {
    const c = source as CampaignView;
    const [first, second] = c.helpdesk.hours;
    source = {
      name: c.name, locale: c.locale, link_ttl_hours: String(c.link_ttl_hours), reminders: c.reminders_after_hours.join(', '),
      methods: c.methods, max_per_hour: c.max_per_hour === null ? '' : String(c.max_per_hour),
      capacity_per_hour: String(c.helpdesk.capacity_per_hour), contact_rate_percent: String(+(c.helpdesk.contact_rate * 100).toFixed(4)),
      timezone: c.helpdesk.timezone, hours_days: first?.days.map(String) ?? [], hours_start: first?.start, hours_end: first?.end,
      hours2_days: second?.days.map(String) ?? [], hours2_start: second?.start ?? '', hours2_end: second?.end ?? '',
    };
  }
  const form = source as Form;
  const methods = list(form, 'methods');
  const days = (name: string) => WEEKDAYS.map((label, i) => ({ value: String(i + 1), label, checked: list(form, name).includes(String(i + 1)) }));
  return {
    ...Object.fromEntries(['name', 'locale', 'link_ttl_hours', 'reminders', 'max_per_hour', 'capacity_per_hour', 'contact_rate_percent', 'timezone', 'hours_start', 'hours_end', 'hours2_start', 'hours2_end'].map((k) => [k, text(form, k)])),
    passkey: methods.includes('passkey'), totp: methods.includes('totp'), days: days('hours_days'), days2: days('hours2_days'),
  };
}

/** The wave form into the API's wave input. Dates are UTC: the form says so. */
export function readWaveForm(form: Form): { value: WaveInput } | { errors: FieldErrors } {
  const date = (name: string, endOfDay = false) => (text(form, name) ? `${text(form, name)}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : undefined);
  const startAt = text(form, 'start_at');
  const cohort = Object.fromEntries(Object.entries({
    paths: list(form, 'paths').length ? list(form, 'paths') : undefined,
    last_login_after: date('last_login_after'),
    last_login_before: date('last_login_before', true),
    email_domains: splitList(text(form, 'email_domains')).length ? splitList(text(form, 'email_domains')) : undefined,
    locales: splitList(text(form, 'locales')).length ? splitList(text(form, 'locales')) : undefined,
  }).filter(([, v]) => v !== undefined));
  return parse(waveSchema, {
    name: text(form, 'name'),
    cohort,
    size: number(text(form, 'size')) ?? null,
    ...(startAt ? { start_at: `${startAt}${startAt.length === 16 ? ':00' : ''}Z` } : {}),
  }) as { value: WaveInput } | { errors: FieldErrors };
}

/** Staffed hours in words: "Mon–Fri 09:00–17:00; Sat 10:00–14:00". */
export function describeHours(hours: Array<{ days: number[]; start: string; end: string }>): string {
  return hours.map((period) => {
    const days = [...period.days].sort((a, b) => a - b);
    const consecutive = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
    const label = days.length > 2 && consecutive ? `${WEEKDAYS[days[0]! - 1]}–${WEEKDAYS[days.at(-1)! - 1]}` : days.map((d) => WEEKDAYS[d - 1]).join(', ');
    return `${label} ${period.start}–${period.end}`;
  }).join('; ');
}
