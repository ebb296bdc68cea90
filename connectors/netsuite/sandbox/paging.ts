import { invalidParameter, type NetSuiteErrorDetail } from './errors.js';

/**
 * Collection paging shared by record lists and SuiteQL (docs: "Collection Paging",
 * section_156414087576): `limit` 1–1000 (default 1000), `offset` a multiple of `limit`, and no
 * page may reach past the 100,000th result. The envelope is
 * `{links, count, hasMore, items, offset, totalResults}` with previous/first/next/last/self links.
 */
export const MAX_LIMIT = 1000;
export const RESULT_WINDOW = 100_000;

export interface Paging {
  limit: number;
  offset: number;
}

export function pagingParams(query: Record<string, string | undefined>): Paging | { error: NetSuiteErrorDetail } {
  const limit = query.limit === undefined ? MAX_LIMIT : Number(query.limit);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return { error: invalidParameter(`Invalid value for the query parameter limit. The value must be an integer between 1 and ${MAX_LIMIT}.`, 'limit') };
  if (!Number.isInteger(offset) || offset < 0) return { error: invalidParameter('Invalid value for the query parameter offset. The value must be a non-negative integer.', 'offset') };
  if (offset % limit !== 0) return { error: invalidParameter('Invalid value for the query parameter offset. The offset must be a multiple of the limit.', 'offset') };
  if (offset + limit > RESULT_WINDOW) {
    return { error: invalidParameter(`Invalid value for the query parameter offset. The maximum number of results you can page through is ${RESULT_WINDOW}; narrow the query to read further.`, 'offset') };
  }
  return { limit, offset };
}

export function collectionBody(base: string, paging: Paging, items: unknown[], totalResults: number, hasMore?: boolean): Record<string, unknown> {
  const more = hasMore ?? paging.offset + items.length < totalResults;
  const href = (offset: number): string => `${base}?limit=${paging.limit}&offset=${offset}`;
  const lastOffset = Math.max(0, Math.min(Math.floor((Math.max(totalResults, 1) - 1) / paging.limit) * paging.limit, RESULT_WINDOW - paging.limit));
  const links: { rel: string; href: string }[] = [];
  // Order and names as in NetSuite's SuiteQL paging example (section_0210123130): previous, first, next, last, self.
  if (paging.offset > 0) {
    links.push({ rel: 'previous', href: href(Math.max(0, paging.offset - paging.limit)) });
    links.push({ rel: 'first', href: href(0) });
  }
  if (more) {
    links.push({ rel: 'next', href: href(paging.offset + paging.limit) });
    links.push({ rel: 'last', href: href(lastOffset) });
  }
  links.push({ rel: 'self', href: href(paging.offset) });
  return { links, count: items.length, hasMore: more, items, offset: paging.offset, totalResults };
}
