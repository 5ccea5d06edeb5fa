const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an id from a URL or body before it meets a uuid column, so a malformed one is a 404, not a database error. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
