import { MalformedHashError } from './hash-errors.ts';

/**
 * A hash string that several families write, with nothing in the row or the import saying which one. Refused,
 * never guessed: a wrong guess would only show as users who cannot sign in.
 */
export class AmbiguousHashError extends MalformedHashError {
  override name = 'AmbiguousHashError';
  constructor(shape: string, readonly dialects: readonly string[], readonly formats: readonly string[], dialect?: string) {
    const written = dialects.join(', ');
    const unmeant = dialect ? `; hash_dialect ${dialect} does not write it` : '';
    super(
      `ambiguous hash: ${shape} is written by ${written}${unmeant}; name the dialect with hash_dialect (${written}) ` +
        `or the family with password_hash_format (${formats.join(', ')})`,
    );
  }
}

/** `password_hash_format` or `password_hash_salt` does not fit the row's hash. The error names that field. */
export class HashContextError extends MalformedHashError {
  override name = 'HashContextError';
  constructor(readonly field: 'password_hash_format' | 'password_hash_salt', reason: string) {
    super(reason);
  }
}
