/**
 * What one check of a hash costs, as its parser saw it: the work in the units of one kernel (sha-crypt rounds,
 * bcrypt's 2^cost, PBKDF2 iterations × blocks …). The shared parameter checks (`assertPbkdf2Cost`,
 * `parseBcryptString`, `checkScryptCost` …) note it, so a family built on them is costed with no code of its own.
 * hash-cost-model.ts turns it into milliseconds.
 */
export interface CheckCost {
  /** The primitive that does the work; hash-cost-model.ts times each one at startup. */
  kernel: string;
  /** Work in that kernel's units; one check takes about `work` × the kernel's time per unit. */
  work: number;
  /** The parameter as a person reads it in a row error: "rounds=656000", "cost 14", "1000000 iterations". */
  parameter: string;
}

let collecting: CheckCost[] | undefined;

/** Called by the parameter checks. Does nothing unless `collectCheckCosts` is listening, so verify pays nothing. */
export function noteCheckCost(cost: CheckCost): void {
  collecting?.push(cost);
}

/** Runs a (synchronous) parse and returns what it cost, with the parse's own result. */
export function collectCheckCosts<T>(parse: () => T): { value: T; costs: CheckCost[] } {
  const outer = collecting;
  const costs: CheckCost[] = [];
  collecting = costs;
  try {
    return { value: parse(), costs };
  } finally {
    collecting = outer;
  }
}
