import { encodeQueryComponent } from '../../sdk/url.js';
import type { FetchedPage, PageRequest } from '../change-reader.js';
import type { QueryParams, SapClient } from '../client.js';
import type { ODataRecord } from '../odata/page.js';
import { stringLiteral } from '../odata/values.js';

/**
 * Request helpers the streams share: one keyset page of an entity set, and reading "all records
 * whose key is one of these" in `$filter` batches that keep the URL under the configured length
 * (SAP's ICM refuses over-long request lines), following `__next` within each batch.
 */
export function pageFetcher(client: SapClient, service: string, entitySet: string, extra: QueryParams, signal?: AbortSignal) {
  return async (request: PageRequest): Promise<FetchedPage> => {
    const page = await client.collection(
      service,
      entitySet,
      { ...extra, $filter: request.filter ?? undefined, $orderby: request.orderby, $top: request.top, $select: request.select },
      signal,
    );
    return { records: page.results, more: page.results.length >= request.top || page.next !== null };
  };
}

/**
 * Length of a query component as it goes on the wire: RFC 3986 encoding, and `'` as `%27`, as the
 * WHATWG URL parser writes it in the query of an http(s) URL.
 */
export function encodedLength(text: string): number {
  return encodeQueryComponent(text).replace(/'/g, '%27').length;
}

/** `Field eq 'a' or Field eq 'b' …` clauses, each at most `budget` characters once URL-encoded. */
export function keyFilters(field: string, keys: readonly string[], budget: number): string[] {
  const filters: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const key of new Set(keys)) {
    const clause = `${field} eq ${stringLiteral(key)}`;
    const cost = encodedLength(clause) + (current.length > 0 ? encodedLength(' or ') : 0);
    if (current.length > 0 && length + cost > budget) {
      filters.push(current.join(' or '));
      current = [];
      length = 0;
    }
    if (current.length === 0 && encodedLength(clause) > budget) {
      throw new RangeError(`the key ${key} alone is longer than the URL budget of ${budget} characters; raise maxUrlLength`);
    }
    current.push(clause);
    length += current.length === 1 ? encodedLength(clause) : cost;
  }
  if (current.length > 0) filters.push(current.join(' or '));
  return filters;
}

/** What is left of maxUrlLength for a `$filter` after the service URL and the other options. */
export function filterBudget(client: SapClient, service: string, entitySet: string, otherOptions: QueryParams): number {
  const fixed = `${client.http.baseUrl}${service}/${entitySet}?`.length +
    Object.entries({ ...otherOptions, ...client.clientQuery() })
      .map(([name, value]) => `${name}=&`.length + encodedLength(String(value)))
      .reduce((a, b) => a + b, 0) +
    '$filter='.length;
  return Math.max(200, client.config.maxUrlLength - fixed);
}

/** Every record of `entitySet` whose `field` is one of `keys`, in URL-sized batches. */
export async function readByKeys(
  client: SapClient,
  service: string,
  entitySet: string,
  field: string,
  keys: readonly string[],
  options: QueryParams & { extraFilter?: string },
  signal?: AbortSignal,
): Promise<ODataRecord[]> {
  if (keys.length === 0) return [];
  const { extraFilter, ...params } = options;
  const query: QueryParams = { $top: 5000, ...params };
  const extra = extraFilter ? ` and (${extraFilter})` : '';
  const budget = filterBudget(client, service, entitySet, query) - encodedLength(`()${extra}`);
  const records: ODataRecord[] = [];
  for (const filter of keyFilters(field, keys, budget)) {
    let page = await client.collection(service, entitySet, { ...query, $filter: `(${filter})${extra}` }, signal);
    records.push(...page.results);
    while (page.next) {
      page = await client.next(page.next, signal);
      records.push(...page.results);
    }
  }
  return records;
}
