import { compareValues, type EdmValue } from './edm.js';
import { bindFilter, boundsOf, matches, type BoundFilter } from './filter-eval.js';
import { parseFilter } from './filter-parser.js';
import type { SandboxRecord } from './model.js';
import type { OrderedCollection } from './ordered-collection.js';
import { parseExpand, unknownExpansions, type ExpandTree } from './serialize.js';

/**
 * OData V2 system query options against an OrderedCollection: `$filter`, `$orderby`, `$top`,
 * `$skip`, `$skiptoken`, `$inlinecount=allpages`, `$expand`, `$select`. Server-driven paging is
 * RAP-style: without `$top` a page holds `defaultPageSize` records, with `$top` at most
 * `maxPageSize`, and `__next` carries an opaque `$skiptoken` that is, like SAP's, a position in the
 * ordered result, so a record moving while a client follows `__next` shifts the pages.
 */
export interface PagingSettings {
  defaultPageSize: number;
  maxPageSize: number;
}

export interface QueryResult {
  records: SandboxRecord[];
  count?: number;
  /** Query string of the next page (with `$skiptoken`), when the result continues. */
  nextQuery?: string;
  expand: ExpandTree;
  select?: ReadonlySet<string>;
}

export class QueryOptionError extends Error {
  constructor(readonly sapCode: string, message: string) {
    super(message);
    this.name = 'QueryOptionError';
  }
}

interface OrderBy {
  field: string;
  descending: boolean;
}

function nonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new QueryOptionError('/IWBEP/CM_MGW_RT/004', `Invalid system query option value '${name}=${value}'`);
  return Number(value);
}

function parseOrderBy(text: string | undefined, collection: OrderedCollection): OrderBy[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [field, direction, ...rest] = part.trim().split(/\s+/);
    if (!field || rest.length > 0 || (direction !== undefined && direction !== 'asc' && direction !== 'desc')) {
      throw new QueryOptionError('/IWBEP/CM_MGW_RT/004', `Invalid $orderby expression '${part.trim()}'`);
    }
    if (!(field in collection.entityType.properties)) {
      throw new QueryOptionError('/IWBEP/CM_MGW_RT/022', `Property ${field} not found in type ${collection.entityType.typeName}`);
    }
    return { field, descending: direction === 'desc' };
  });
}

export function decodeSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const decoded = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!decoded) throw new QueryOptionError('/IWBEP/CM_MGW_RT/004', `Invalid system query option value '$skiptoken=${token}'`);
  return Number(decoded[1]);
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(`o${offset}`, 'utf8').toString('base64url');
}

/** Candidates in the requested order: through an index when one matches, else sorted in memory. */
function* ordered(collection: OrderedCollection, orderBy: OrderBy[], filter: BoundFilter | undefined): Generator<SandboxRecord> {
  const keyIndex = collection.indexes[0]!;
  const sameDirection = orderBy.every((entry) => entry.descending === orderBy[0]?.descending);
  const index = orderBy.length === 0
    ? keyIndex
    : collection.indexes.find(
        (candidate) => sameDirection && orderBy.every((entry, position) => candidate.fields[position] === entry.field),
      );
  if (index) {
    const firstField = index.fields[0]!;
    const bounds = boundsOf(filter, firstField, collection.entityType.properties[firstField]!);
    yield* collection.scan(index.name, orderBy[0]?.descending ?? false, bounds);
    return;
  }
  const all = [...collection.scan(keyIndex.name, false)].filter((record) => !filter || matches(filter, record));
  all.sort((a, b) => {
    for (const entry of orderBy) {
      const type = collection.entityType.properties[entry.field]!;
      const order = compareValues(type, (a[entry.field] ?? null) as EdmValue, (b[entry.field] ?? null) as EdmValue);
      if (order !== 0) return entry.descending ? -order : order;
    }
    return 0;
  });
  yield* all;
}

export function runQuery(collection: OrderedCollection, query: Record<string, string | undefined>, paging: PagingSettings): QueryResult {
  const top = nonNegativeInteger('$top', query.$top);
  const skip = nonNegativeInteger('$skip', query.$skip) ?? 0;
  const offset = decodeSkipToken(query.$skiptoken);
  const orderBy = parseOrderBy(query.$orderby, collection);
  const filter = query.$filter === undefined ? undefined : bindFilter(parseFilter(query.$filter), collection.entityType);
  const expand = parseExpand(query.$expand);
  const unknown = unknownExpansions(expand, collection.entityType);
  if (unknown.length > 0) {
    throw new QueryOptionError('/IWBEP/CM_MGW_RT/021', `Property ${unknown[0]} not found in type ${collection.entityType.typeName}`);
  }
  const select = query.$select ? new Set(query.$select.split(',').map((name) => name.trim())) : undefined;
  const wantCount = query.$inlinecount === 'allpages';

  const pageSize = top === undefined ? paging.defaultPageSize : Math.min(top, paging.maxPageSize);
  const remaining = top === undefined ? Infinity : top - offset;
  const limit = Math.max(0, Math.min(pageSize, remaining));
  const records: SandboxRecord[] = [];
  let position = 0;
  let more = false;
  let count = 0;
  for (const record of ordered(collection, orderBy, filter)) {
    if (filter && !matches(filter, record)) continue;
    count++;
    if (position++ < skip + offset) continue;
    if (records.length < limit) {
      records.push(record);
      continue;
    }
    if (records.length < remaining) more = true;
    if (!wantCount) break;
  }
  const result: QueryResult = { records, expand };
  if (select) result.select = select;
  if (wantCount) result.count = count;
  if (more) {
    // SAP writes the option names as they are (`$skiptoken=…`), only the values encoded.
    const params: string[] = [];
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || name === '$skiptoken' || name === '$top') continue;
      params.push(`${name}=${encodeURIComponent(value)}`);
    }
    if (top !== undefined) params.push(`$top=${top}`);
    params.push(`$skiptoken=${encodeSkipToken(offset + records.length)}`);
    result.nextQuery = params.join('&');
  }
  return result;
}
