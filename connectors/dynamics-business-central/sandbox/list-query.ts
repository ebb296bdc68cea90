import { BcHttpError } from './bc-errors.js';
import { EXPANDABLE, SCHEMAS, TYPE_NAMES, type EntitySetName } from './entity-schemas.js';
import { compareValues, fieldValue, lowerBound, matches, ODataQueryError, parseFilter, type EntitySchema, type FilterNode } from './odata-filter.js';
import type { Table, Timestamped } from './table.js';

/**
 * Query options of a collection GET ($filter, $orderby, $top, $skip, $skiptoken, $select, $expand)
 * and server-driven paging: a page holds at most `Prefer: odata.maxpagesize` (capped at the
 * service's 20,000) entities; when more remain, `@odata.nextLink` repeats the request with an
 * opaque `$skiptoken` (a bookmark of the last entity served, so records that change between pages
 * are neither skipped nor served twice in place) and the unserved rest of `$top`.
 */
export const MAX_PAGE_SIZE = 20_000;

export interface ListQuery {
  filter?: FilterNode;
  orderby: { field: string; desc: boolean }[];
  top?: number;
  skip?: number;
  skiptoken?: string;
  select?: string[];
  expand?: string;
}

export function parseListQuery(query: Record<string, string | undefined>, set: EntitySetName): ListQuery {
  const schema: EntitySchema = SCHEMAS[set];
  const typeName = TYPE_NAMES[set];
  try {
    const result: ListQuery = { orderby: [] };
    if (query.$filter) result.filter = parseFilter(query.$filter, schema, typeName);
    if (query.$orderby) {
      result.orderby = query.$orderby.split(',').map((part) => {
        const [field, direction = 'asc', extra] = part.trim().split(/\s+/);
        if (!field || extra !== undefined || !['asc', 'desc'].includes(direction.toLowerCase())) throw new ODataQueryError('BadRequest', `Syntax error at position 0 in '${query.$orderby}'.`);
        if (!schema[field]) throw new ODataQueryError('BadRequest_NotFound', `Could not find a property named '${field}' on type 'Microsoft.NAV.${typeName}'.`);
        return { field, desc: direction.toLowerCase() === 'desc' };
      });
    }
    for (const option of ['$top', '$skip'] as const) {
      const value = query[option];
      if (value === undefined) continue;
      if (!/^\d+$/.test(value)) throw new ODataQueryError('BadRequest', `Invalid value '${value}' for ${option} query option found. The ${option} query option requires a non-negative integer value.`);
      result[option === '$top' ? 'top' : 'skip'] = Number(value);
    }
    if (query.$skiptoken) result.skiptoken = query.$skiptoken;
    if (query.$select) {
      result.select = query.$select.split(',').map((field) => field.trim());
      const unknown = result.select.find((field) => !schema[field]);
      if (unknown) throw new ODataQueryError('BadRequest_NotFound', `Could not find a property named '${unknown}' on type 'Microsoft.NAV.${typeName}'.`);
    }
    if (query.$expand) {
      if (query.$expand !== EXPANDABLE[set]) throw new ODataQueryError('BadRequest_NotFound', `Could not find a property named '${query.$expand}' on type 'Microsoft.NAV.${typeName}'.`);
      result.expand = query.$expand;
    }
    return result;
  } catch (error) {
    if (error instanceof ODataQueryError) throw new BcHttpError(400, error.code, error.message);
    throw error;
  }
}

export interface ListPage<T> {
  rows: T[];
  /** Set when more rows remain: the $skiptoken and the $top still to serve. */
  next?: { skiptoken: string; top?: number };
}

const isTimeOrder = (orderby: ListQuery['orderby']): boolean =>
  orderby.length >= 1 && orderby.length <= 2 && orderby[0]!.field === 'lastModifiedDateTime' && !orderby[0]!.desc &&
  (orderby.length === 1 || (orderby[1]!.field === 'id' && !orderby[1]!.desc));

function encodeToken(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function decodeToken(token: string): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(values)) return values;
  } catch { /* fall through */ }
  throw new BcHttpError(400, 'BadRequest', `The skip token value '${token}' is invalid`);
}

/** Runs a collection query over a table and cuts the page. */
export function runListQuery<T extends Timestamped>(table: Table<T>, set: EntitySetName, query: ListQuery, pageSize: number): ListPage<T> {
  const schema: EntitySchema = SCHEMAS[set];
  const keep = (row: T): boolean => !query.filter || matches(query.filter, row as unknown as Record<string, unknown>, schema);
  const limit = Math.min(pageSize, MAX_PAGE_SIZE, query.top ?? Number.POSITIVE_INFINITY);
  let candidates: Iterable<T>;
  let tokenOf: (row: T) => string;

  if (query.orderby.length === 0) {
    // Default order (primary key); the bookmark is the last entity's id, as in real nextLinks.
    candidates = table.defaultOrder(query.skiptoken);
    tokenOf = (row) => row.id;
  } else if (isTimeOrder(query.orderby)) {
    const bound = lowerBound(query.filter, 'lastModifiedDateTime');
    const after = query.skiptoken ? decodeToken(query.skiptoken) as [number, string] : null;
    const fromMs = Math.max(bound?.ms ?? Number.NEGATIVE_INFINITY, after?.[0] ?? Number.NEGATIVE_INFINITY);
    const scan = table.byModified(fromMs, true);
    candidates = after
      ? (function* () { for (const row of scan) { const ms = Date.parse(row.lastModifiedDateTime); if (ms > after[0] || (ms === after[0] && row.id > after[1])) yield row; } })()
      : scan;
    tokenOf = (row) => encodeToken([Date.parse(row.lastModifiedDateTime), row.id]);
  } else {
    const keys = [...query.orderby, { field: 'id', desc: false }];
    const valuesOf = (row: T) => keys.map((key) => fieldValue(row as unknown as Record<string, unknown>, key.field, schema[key.field]!));
    const compare = (a: T, b: T): number => {
      const x = valuesOf(a);
      const y = valuesOf(b);
      for (let i = 0; i < keys.length; i++) {
        const order = compareValues(x[i]!, y[i]!);
        if (order !== 0) return keys[i]!.desc ? -order : order;
      }
      return 0;
    };
    tokenOf = (row) => encodeToken(valuesOf(row));
    const after = query.skiptoken ? decodeToken(query.skiptoken) : null;
    const afterToken = (row: T): boolean => {
      if (!after) return true;
      const values = valuesOf(row);
      for (let i = 0; i < keys.length; i++) {
        const order = compareValues(values[i]!, after[i] as string | number | boolean | null);
        if (order !== 0) return (keys[i]!.desc ? -order : order) > 0;
      }
      return false;
    };
    const sortedBy = table.sortedBy;
    if (sortedBy && query.orderby.every((key, i) => !key.desc && sortedBy[i] === key.field)) {
      // Seeded records already stand in this order: stream from the bookmark instead of sorting.
      const start = after ? table.firstIndexWhere((row) => !afterToken(row)) : 0;
      candidates = (function* () { for (const row of table.indexOrder(start, compare)) if (afterToken(row)) yield row; })();
    } else {
      candidates = [...(lookupCandidates(table, query.filter) ?? table.defaultOrder())].filter(keep).sort(compare).filter(afterToken);
    }
  }
  if (query.orderby.length === 0 && !query.skiptoken) {
    // A lookup answers in one page; a longer answer pages in the default order like any other query.
    const found = lookupCandidates(table, query.filter);
    if (found && found.length <= limit) candidates = found;
  }

  const rows: T[] = [];
  let toSkip = query.skiptoken ? 0 : (query.skip ?? 0);
  for (const row of candidates) {
    if (!keep(row)) continue;
    if (toSkip > 0) { toSkip--; continue; }
    if (rows.length === limit) {
      const remainingTop = query.top === undefined ? undefined : query.top - rows.length;
      if (remainingTop === 0) return { rows };
      return { rows, next: { skiptoken: tokenOf(rows[rows.length - 1]!), ...(remainingTop === undefined ? {} : { top: remainingTop }) } };
    }
    rows.push(row);
  }
  return { rows };
}

/** Records a `field eq value` conjunct of the filter selects through the table's lookup, if it has one for that field. */
function lookupCandidates<T extends Timestamped>(table: Table<T>, filter: FilterNode | undefined): T[] | undefined {
  if (!filter) return undefined;
  if (filter.kind === 'and') return lookupCandidates(table, filter.left) ?? lookupCandidates(table, filter.right);
  if (filter.kind === 'or') {
    const left = lookupCandidates(table, filter.left);
    const right = left && lookupCandidates(table, filter.right);
    if (!left || !right) return undefined;
    const ids = new Set(left.map((row) => row.id));
    return [...left, ...right.filter((row) => !ids.has(row.id))];
  }
  if (filter.kind === 'cmp' && filter.op === 'eq' && (filter.value.type === 'guid' || filter.value.type === 'string')) return table.lookup(filter.field, filter.value.value);
  return undefined;
}

/** The entity as served: `@odata.etag` first, navigation only when expanded, $select applied. */
export function shapeEntity(row: Record<string, unknown>, query: Pick<ListQuery, 'select' | 'expand'>, navigation?: string): Record<string, unknown> {
  const { [navigation ?? '']: children, ...fields } = row;
  let shaped: Record<string, unknown> = fields;
  if (query.select) {
    shaped = { '@odata.etag': fields['@odata.etag'] };
    for (const field of query.select) shaped[field] = fields[field];
  }
  if (navigation && query.expand === navigation) shaped[navigation] = children ?? [];
  return shaped;
}
