/** The CSRF token on an end-user page: a form's `_csrf` field or the `csrf-token` meta tag the scripts read. */
export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"/.exec(html)!.slice(1).find(Boolean)!;

/** The authenticator key shown on /enrol/app, without its spaces. */
export const secretOf = (html: string): string => /id="totp-secret">([A-Z2-7 ]+)</.exec(html)![1]!.replace(/ /g, '');
