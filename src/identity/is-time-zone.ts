const known = new Map<string, boolean>();

/** True for an IANA time zone this Node knows ("Europe/London"). Cached: imports ask once per row. */
export function isTimeZone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name });
      valid = true;
    } catch {
      valid = false;
    }
    if (known.size < 5000) known.set(name, valid);
  }
  return valid;
}
