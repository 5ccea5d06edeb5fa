import type { z } from 'zod';
import { InvalidRequestError } from './app-error.ts';

/** Parses `input` with `schema`, or throws a 400 that lists each bad field and why. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidRequestError(
    result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', reason: issue.message })),
  );
}
