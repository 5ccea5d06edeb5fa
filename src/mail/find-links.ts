/** A run of text, or a link in it. */
export interface TextPart {
  text: string;
  href: string | null;
}

// Up to whitespace or a character that cannot end a URL in prose; trailing punctuation is trimmed below.
const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
const TRAILING = /[.,;:!?)\]]+$/;

/** Splits plain text into runs and http(s) links, so a page can show the text with the links clickable. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const href = match[0].replace(TRAILING, '');
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start), href: null });
    parts.push({ text: href, href });
    last = start + href.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), href: null });
  return parts;
}

/** The distinct http(s) links in plain text, in order. */
export function findLinks(text: string): string[] {
  return [...new Set(splitLinks(text).flatMap((part) => (part.href ? [part.href] : [])))];
}
