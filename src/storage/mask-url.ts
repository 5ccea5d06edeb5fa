/**
 * A connection URL fit for a log line or an error message: the password becomes ***, and the query string (which
 * may carry `password=` or startup options) is dropped. Anything that does not parse is not echoed at all.
 */
export function maskUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '(an address that does not parse)';
  }
  const user = url.username ? `${decodeURIComponent(url.username)}${url.password ? ':***' : ''}@` : url.password ? ':***@' : '';
  const path = url.pathname && url.pathname !== '/' ? url.pathname : '';
  return `${url.protocol}//${user}${url.host}${path}`;
}
