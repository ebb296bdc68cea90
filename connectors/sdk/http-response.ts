import type { IncomingHttpHeaders } from 'node:http';
import { ConnectorError } from './errors.js';

/** What `HttpClient.request` resolves with. Header names are lower case. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, ` (Set-Cookie is in `setCookies`). */
  headers: Record<string, string>;
  setCookies: string[];
  body: Buffer;
  /** The method and URL that were requested, secrets redacted: safe for messages and logs. */
  method: string;
  url: string;
  text(): string;
  /** The parsed body; an empty or unparseable body throws `invalid_response`. */
  json<T = unknown>(): T;
}

/** Text safe and short enough to quote in a message. */
export type Scrub = (text: string) => string;

const SNIPPET_CHARS = 200;

export function snippet(text: string, scrub: Scrub): string {
  const flat = scrub(text).replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

export function normalizeHeaders(raw: IncomingHttpHeaders | Record<string, string | string[] | undefined>): {
  headers: Record<string, string>;
  setCookies: string[];
} {
  const headers: Record<string, string> = {};
  let setCookies: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') {
      setCookies = Array.isArray(value) ? [...value] : [value];
      continue;
    }
    headers[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { headers, setCookies };
}

export function createResponse(init: Omit<HttpResponse, 'text' | 'json'> & { scrub: Scrub }): HttpResponse {
  const { status, headers, setCookies, body, method, url, scrub } = init;
  return {
    status,
    headers,
    setCookies,
    body,
    method,
    url,
    text: () => body.toString('utf8'),
    json<T>(): T {
      const where = `${method} ${url} answered ${status}`;
      const contentType = headers['content-type'] ?? 'no content type';
      if (body.length === 0) {
        throw new ConnectorError('invalid_response', `${where} with an empty body where JSON was expected`, { status });
      }
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        // No `cause`: V8's SyntaxError quotes the body, which may echo a credential.
        throw new ConnectorError(
          'invalid_response',
          `${where} with a body that is not valid JSON (${contentType}, ${body.length} bytes): "${snippet(body.toString('utf8'), scrub)}"`,
          { status },
        );
      }
    },
  };
}
