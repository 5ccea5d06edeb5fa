import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export interface ClientOptions {
  url: string;
  token: string | undefined;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A failure the CLI prints as one line and exits 1 on. */
export class CliError extends Error {
  override name = 'CliError';
}

/**
 * The CLI is a client of the HTTP API: it never opens the database, so it works against any running server,
 * whatever its storage.
 */
export async function callApi(options: ClientOptions, method: string, path: string, body?: { stream: Readable; type: string; length: number } | unknown): Promise<ApiResponse> {
  const target = new URL(path, options.url.endsWith('/') ? options.url : `${options.url}/`);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const streamed = body && typeof body === 'object' && 'stream' in body ? (body as { stream: Readable; type: string; length: number }) : null;
  const json = body !== undefined && !streamed ? JSON.stringify(body) : null;
  const headers: Record<string, string | number> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (streamed) Object.assign(headers, { 'content-type': streamed.type, 'content-length': streamed.length });
  if (json !== null) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });

  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(target, { method, headers }, resolve);
    req.on('error', (error) => reject(new CliError(`cannot reach cutover at ${options.url}: ${error.message}`)));
    if (streamed) {
      streamed.stream.on('error', (error: Error) => req.destroy(error));
      streamed.stream.pipe(req);
    } else req.end(json ?? undefined);
  });
  let text = '';
  response.setEncoding('utf8');
  for await (const chunk of response) text += chunk;
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: response.statusCode ?? 0, body: parsed };
}

/** Turns a non-2xx answer into one readable line. */
export function describeFailure(response: ApiResponse): string {
  const body = response.body as { error?: string; message?: string; fields?: Array<{ field: string; reason: string }> } | null;
  if (response.status === 401) return 'the server refused the token (401 unauthorized): pass --token or set CUTOVER_TOKEN';
  if (response.status === 403) return 'this token\'s role may not do that (403 forbidden)';
  const fields = body?.fields?.map((f) => `${f.field}: ${f.reason}`).join('; ');
  return `HTTP ${response.status} ${body?.error ?? ''}${body?.message ? `: ${body.message}` : ''}${fields ? ` (${fields})` : ''}`.trim();
}
