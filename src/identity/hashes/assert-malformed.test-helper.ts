import assert from 'node:assert/strict';
import { MalformedHashError } from './hash-errors.ts';
import type { HashFamily } from './hash-family.ts';

/** Asserts that `family.parse(input)` refuses the input as malformed, with the family's prefix and `reason`. */
export function assertMalformed(family: HashFamily, input: string, reason: RegExp): void {
  assert.throws(
    () => family.parse(input),
    (error: unknown) => {
      assert.ok(error instanceof MalformedHashError, `MalformedHashError for ${input}, got ${String(error)}`);
      assert.match(error.message, new RegExp(`^malformed ${family.name} hash: `));
      assert.match(error.message, reason);
      return true;
    },
  );
}
