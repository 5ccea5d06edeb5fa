import type { Refusal } from '../signatures.ts';

export const DESKS = ['zendesk', 'jira', 'helpscout', 'intercom', 'generic'] as const;
export type Desk = (typeof DESKS)[number];

/** What cutover needs from a ticket: who asked (email or legacy id) and what the match rule reads. */
export interface Ticket {
  ticketId: string;
  email?: string;
  legacyId?: string;
  subject?: string;
  tags: string[];
}

/**
 * A parsed body: a ticket; an event that names no email (answered 202 and logged, with why); or an event of
 * another kind that the desk sends to the same URL (answered 200, nothing recorded).
 */
export type ParsedTicket = { ticket: Ticket } | { noEmail: string; ticketId?: string } | { ignored: string };

export interface SignedRequest {
  raw: Buffer;
  header(name: string): string | undefined;
  now: number;
}

export interface DeskAdapter {
  desk: Desk;
  /** Checks the desk's signature over the raw body (and its signed timestamp, where it has one). */
  verify(request: SignedRequest, secret: string): Refusal;
  /** Reads the parsed JSON; throws InvalidRequestError naming the field when it is not the desk's shape. */
  parse(body: unknown, request: SignedRequest): ParsedTicket;
}

/** Ticket ids arrive as numbers or strings; they are kept as text. */
export const idText = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;

export const emailText = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim()) ? value.trim().slice(0, 320) : undefined;
