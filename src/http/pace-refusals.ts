import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Room over the failure floor for what happens around the check: the session, the CSRF token, the rendered page.
 * The services pad their refusals to the floor; this covers the rest of the request, which differs by page.
 */
const SLACK_MS = 40;
/** Refusals whose whole time is remembered: under load the work alone can outgrow the floor, and the beat with it. */
const RECENT = 40;
/** Headroom over the slow end of recent refusals' work. */
const RECENT_MARGIN_MS = 25;
/** The beat moves in steps this long, so that it holds still while recent work wobbles: refusals compared at
 * different moments then share it. */
const STEP_MS = 50;
/** A beat is held until it has gone this long without being needed, before it may fall: refusals compared over a
 * spell share one beat, and a beat that busy work keeps reaching never drops between two of them. */
const HOLD_MS = 120_000;

/**
 * The second slowest of recent refusals: two slow ones raise the beat, a single stray one (a GC pause) does not. Not a
 * percentile: one kind of refusal (a wrong password against a bcrypt user) may be an eighth of all refusals or less,
 * and the beat must cover it, or its refusals alone spill into the next beat and tell it apart.
 */
function slowEnd(values: number[]): number {
  if (values.length < 5) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length - 2]!;
}

/**
 * Issue 9, item 5 ("every refusal looks the same"), at the edge of the app: a 401 leaves on a beat counted from
 * the request's arrival, so that nothing done before or after the service's own padding (loading a session,
 * rendering a different page, a check that outran the floor on a busy machine) shows in its timing. The beat is the
 * failure floor with slack, or the slow end of recent refusals' work with headroom, whichever is longer; a refusal
 * whose work outruns one beat waits for the next, so an outlier says only "the machine was busy".
 */
export class RefusalPacer {
  private readonly recent: number[] = [];
  private held = 0;
  private heldSince = 0;

  constructor(
    private readonly floor: { readonly ms: number },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The time every refusal takes, in ms, from the request's arrival. */
  get beatMs(): number {
    const wanted = Math.ceil(Math.max(this.floor.ms + SLACK_MS, slowEnd(this.recent) + RECENT_MARGIN_MS) / STEP_MS) * STEP_MS;
    const now = this.now();
    // The hold counts from the last moment the beat was needed, not from when it was raised: a beat raised once and
    // reached again and again by busy work stays, and falls only after a spell that never needed it.
    if (wanted >= this.held || now - this.heldSince > HOLD_MS) {
      this.held = wanted;
      this.heldSince = now;
    }
    return this.held;
  }

  /** How long a refusal whose work took `workMs` still waits, and remembers the work for the next beats. */
  waitFor(workMs: number): number {
    const beat = this.beatMs;
    this.recent.push(workMs);
    if (this.recent.length > RECENT) this.recent.shift();
    return Math.max(1, Math.ceil(workMs / beat)) * beat - workMs;
  }

  /** Middleware for the routes whose 401s must look alike: holds the response's end until its beat. */
  handler(): RequestHandler {
    return (_req: Request, res: Response, next: NextFunction) => {
      const arrived = performance.now();
      const end = res.end.bind(res) as (...args: unknown[]) => Response;
      res.end = ((...args: unknown[]) => {
        if (res.statusCode !== 401) return end(...args);
        setTimeout(() => end(...args), this.waitFor(performance.now() - arrived));
        return res;
      }) as Response['end'];
      next();
    };
  }
}
