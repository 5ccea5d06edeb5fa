export interface ParsedMail {
  headers: Map<string, string>;
  /** Decoded bodies by content type ("text/plain", "text/html"). */
  parts: Map<string, string>;
}

/** Just enough MIME (RFC 2045/2046) to read what nodemailer sends: headers, and the parts of multipart/alternative. */
export function parseRawMail(raw: string): ParsedMail {
  const { headers, body } = splitEntity(raw);
  const parts = new Map<string, string>();
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const entities = boundary
    ? body.split(`--${boundary}`).slice(1, -1).map((part) => splitEntity(part.replace(/^\r\n/, '')))
    : [{ headers, body }];
  for (const entity of entities) {
    const contentType = (entity.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    parts.set(contentType, decode(entity.body, entity.headers.get('content-transfer-encoding') ?? '7bit'));
  }
  return { headers, parts };
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(end + 4) };
}

function decode(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const soft = body.replace(/=\r\n/g, ''); // soft line breaks
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        const hex = soft.slice(i + 1, i + 3);
        if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(soft.charCodeAt(i)); // a QP body is ASCII
        }
      }
      return Buffer.from(bytes).toString('utf8');
    }
    default:
      return body;
  }
}
