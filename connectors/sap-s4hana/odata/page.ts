import { ConnectorError } from '../../sdk/errors.js';

/**
 * The OData V2 JSON envelopes SAP answers with: a collection `{"d":{"results":[…],"__count":"12",
 * "__next":"https://…$skiptoken=…"}}` and a single entity `{"d":{…}}`. Anything else is an
 * `invalid_response` naming what was wrong, so a proxy's HTML page or a truncated body never
 * passes for an empty page.
 */
export type ODataRecord = Record<string, unknown>;

export interface ODataCollection {
  results: ODataRecord[];
  /** `__next` as SAP sent it (absolute URL with an opaque `$skiptoken`), or null. */
  next: string | null;
  /** `__count` (a string in V2 JSON) as a number, when `$inlinecount=allpages` was asked. */
  count: number | null;
}

function invalid(where: string, what: string): ConnectorError {
  return new ConnectorError('invalid_response', `${where} answered ${what}; expected OData V2 JSON {"d": …} (is the base URL the API host, and is the service activated?)`);
}

export function readCollection(body: unknown, where: string): ODataCollection {
  const d = (body as { d?: unknown } | null)?.d;
  if (!d || typeof d !== 'object') throw invalid(where, 'a body without "d"');
  const { results, __next: next, __count: count } = d as { results?: unknown; __next?: unknown; __count?: unknown };
  if (!Array.isArray(results)) throw invalid(where, 'a "d" without a "results" array');
  if (results.some((record) => !record || typeof record !== 'object' || Array.isArray(record))) throw invalid(where, 'a "results" entry that is not an entity');
  if (next !== undefined && typeof next !== 'string') throw invalid(where, 'a "__next" that is not a URL string');
  if (count !== undefined && (typeof count !== 'string' || !/^\d+$/.test(count))) throw invalid(where, 'a "__count" that is not a numeric string');
  return { results: results as ODataRecord[], next: next ?? null, count: count === undefined ? null : Number(count) };
}

export function readEntity(body: unknown, where: string): ODataRecord {
  const d = (body as { d?: unknown } | null)?.d;
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw invalid(where, 'a body without an entity in "d"');
  return d as ODataRecord;
}

/** `to_X: {"results": [...]}` of an expanded to-many navigation; [] when absent or deferred. */
export function expanded(record: ODataRecord, navigation: string): ODataRecord[] {
  const value = record[navigation] as { results?: unknown } | undefined;
  return Array.isArray(value?.results) ? (value.results as ODataRecord[]) : [];
}
