import { accountDate, fromChar, toChar } from '../clock.js';
import { CURRENCIES, type RecordType } from '../records.js';
import { compareKeys, type NetSuiteStore, type OrderKey } from '../store.js';
import { parseSuiteQL, SuiteQLSyntaxError, type Expr, type Query } from './parser.js';
import { TABLES, type ColumnDef, type TableDef } from './tables.js';

/**
 * Runs a parsed SuiteQL query against the sandbox store. Queries ordered by
 * (lastmodifieddate, id) on a record table seek straight to their lower bound (`>=`, `>`, or the
 * keyset form `(lastmodifieddate > T OR (lastmodifieddate = T AND id > N))`) and count without
 * generating the records they skip; any other query scans and sorts the whole table.
 */
export class SuiteQLQueryError extends Error {}

type Value = null | string | number | boolean | { ts: number };

export interface RunOptions {
  limit: number;
  offset: number;
  /** Session time zone as a fixed UTC offset (minutes): TO_CHAR and TO_TIMESTAMP use this clock. */
  offsetMinutes: number;
}

export interface SuiteQLResult {
  /** Record type behind the queried table, if any. */
  recordType?: RecordType;
  items: Record<string, string>[];
  totalResults: number;
  hasMore: boolean;
}

interface Env {
  table: TableDef<never>;
  row: never | null;
  offsetMinutes: number;
}

function evaluate(expr: Expr, env: Env): Value {
  switch (expr.kind) {
    case 'string': return expr.value;
    case 'number': return expr.value;
    case 'null': return null;
    case 'column': {
      const column = env.table.columns[expr.name];
      if (!column) throw new SuiteQLQueryError(`Search error occurred: Field '${expr.name}' for record '${env.table.name}' was not found.`);
      if (env.row === null) throw new SuiteQLQueryError(`Field '${expr.name}' is not allowed here.`);
      const value = column.get(env.row);
      return column.type === 'timestamp' && typeof value === 'number' ? { ts: value } : value;
    }
    case 'call': return call(expr.name, expr.args.map((arg) => evaluate(arg, env)), env);
    case 'and': return truthy(evaluate(expr.left, env)) && truthy(evaluate(expr.right, env));
    case 'or': return truthy(evaluate(expr.left, env)) || truthy(evaluate(expr.right, env));
    case 'not': return !truthy(evaluate(expr.expr, env));
    case 'isnull': return (evaluate(expr.expr, env) === null) !== expr.negated;
    case 'in': {
      const value = evaluate(expr.expr, env);
      if (value === null) return false;
      const found = expr.list.some((item) => {
        const candidate = evaluate(item, env);
        return candidate !== null && compare(value, candidate) === 0;
      });
      return found !== expr.negated;
    }
    case 'compare': {
      const left = evaluate(expr.left, env);
      const right = evaluate(expr.right, env);
      if (left === null || right === null) return false;
      const cmp = compare(left, right);
      return { '=': cmp === 0, '!=': cmp !== 0, '<': cmp < 0, '<=': cmp <= 0, '>': cmp > 0, '>=': cmp >= 0 }[expr.op];
    }
  }
}

const truthy = (value: Value): boolean => value === true;

function call(name: string, args: Value[], env: Env): Value {
  const [first, second] = args;
  switch (name) {
    case 'TO_TIMESTAMP':
    case 'TO_DATE': {
      if (typeof first !== 'string' || typeof second !== 'string') throw new SuiteQLQueryError(`${name} expects (text, format)`);
      try {
        return { ts: fromChar(first, second, env.offsetMinutes) };
      } catch (error) {
        throw new SuiteQLQueryError((error as Error).message);
      }
    }
    case 'TO_CHAR': {
      if (first === null || first === undefined) return null;
      if (typeof first === 'object') {
        if (typeof second !== 'string') throw new SuiteQLQueryError('TO_CHAR of a date expects a format');
        try {
          return toChar(first.ts, second, env.offsetMinutes);
        } catch (error) {
          throw new SuiteQLQueryError((error as Error).message);
        }
      }
      return String(first);
    }
    case 'UPPER': return typeof first === 'string' ? first.toUpperCase() : first ?? null;
    case 'LOWER': return typeof first === 'string' ? first.toLowerCase() : first ?? null;
    default: throw new SuiteQLQueryError(`Unknown or unsupported function ${name}.`);
  }
}

function compare(left: Exclude<Value, null>, right: Exclude<Value, null>): number {
  if (typeof left === 'object' || typeof right === 'object') {
    if (typeof left !== 'object' || typeof right !== 'object') throw new SuiteQLQueryError('A datetime can only be compared with a datetime (use TO_TIMESTAMP).');
    return left.ts - right.ts;
  }
  const leftNumber = typeof left === 'number' ? left : Number.NaN;
  const rightNumber = typeof right === 'number' ? right : Number.NaN;
  // Oracle converts a numeric-looking string compared with a number.
  if (typeof left === 'number' || typeof right === 'number') {
    const a = Number.isNaN(leftNumber) ? Number(left) : leftNumber;
    const b = Number.isNaN(rightNumber) ? Number(right) : rightNumber;
    if (Number.isNaN(a) || Number.isNaN(b)) throw new SuiteQLQueryError(`Invalid number in comparison: ${String(Number.isNaN(a) ? left : right)}`);
    return a - b;
  }
  const a = String(left);
  const b = String(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

function format(value: Value, column: ColumnDef<never> | undefined, env: Env): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'object') return accountDate(value.ts, env.offsetMinutes);
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (column?.type === 'date' && typeof value === 'string') {
    const [y, m, d] = value.split('-');
    return `${Number(m)}/${Number(d)}/${y}`;
  }
  return String(value);
}

function conjuncts(expr: Expr | null): Expr[] {
  if (!expr) return [];
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

const isColumn = (expr: Expr, name: string): boolean => expr.kind === 'column' && expr.name === name;

/** Lower bound (exclusive) on (lastmodifieddate, id) implied by one conjunct, if it has that shape. */
function boundOf(conjunct: Expr, env: Env): OrderKey | undefined {
  const literalTs = (expr: Expr): number | undefined => {
    if (expr.kind !== 'call') return undefined;
    const value = evaluate(expr, env);
    return value !== null && typeof value === 'object' ? value.ts : undefined;
  };
  if (conjunct.kind === 'compare' && isColumn(conjunct.left, 'lastmodifieddate')) {
    const ts = literalTs(conjunct.right);
    if (ts === undefined) return undefined;
    if (conjunct.op === '>=') return { ms: ts, idNum: Number.NEGATIVE_INFINITY };
    if (conjunct.op === '>') return { ms: ts, idNum: Number.POSITIVE_INFINITY };
    return undefined;
  }
  if (conjunct.kind === 'or' && conjunct.left.kind === 'compare' && conjunct.left.op === '>' && isColumn(conjunct.left.left, 'lastmodifieddate') && conjunct.right.kind === 'and') {
    const ts = literalTs(conjunct.left.right);
    const parts = [conjunct.right.left, conjunct.right.right];
    const equal = parts.find((p) => p.kind === 'compare' && p.op === '=' && isColumn(p.left, 'lastmodifieddate'));
    const after = parts.find((p) => p.kind === 'compare' && p.op === '>' && isColumn(p.left, 'id'));
    if (ts === undefined || equal?.kind !== 'compare' || after?.kind !== 'compare' || literalTs(equal.right) !== ts || after.right.kind !== 'number') return undefined;
    return { ms: ts, idNum: after.right.value };
  }
  return undefined;
}

interface Plan {
  bound: OrderKey | null;
  /** Every conjunct is a bound or a table constant: the count needs no scan. */
  captured: boolean;
  empty: boolean;
}

function plan(query: Query, env: Env): Plan | undefined {
  const [first, second, ...rest] = query.orderBy;
  if (!env.table.recordType || rest.length > 0 || !first || !second || first.desc || second.desc) return undefined;
  if (!isColumn(first.expr, 'lastmodifieddate') || !isColumn(second.expr, 'id')) return undefined;
  let bound: OrderKey | null = null;
  let captured = true;
  let empty = false;
  for (const conjunct of conjuncts(query.where)) {
    const candidate = boundOf(conjunct, env);
    if (candidate) {
      if (!bound || compareKeys(candidate, bound) > 0) bound = candidate;
      continue;
    }
    if (conjunct.kind === 'compare' && conjunct.op === '=' && conjunct.left.kind === 'column' && conjunct.right.kind === 'string' && conjunct.left.name in env.table.constants) {
      if (env.table.constants[conjunct.left.name] !== conjunct.right.value) empty = true;
      continue;
    }
    captured = false;
  }
  return { bound, captured, empty };
}

function resolveOrder(query: Query): Query {
  if (query.select === '*') return query;
  const select = query.select;
  return {
    ...query,
    orderBy: query.orderBy.map((item) => {
      if (item.expr.kind !== 'column') return item;
      const name = item.expr.name;
      const aliased = select.find((s) => s.name === name && !(s.expr.kind === 'column' && s.expr.name === name));
      return aliased ? { ...item, expr: aliased.expr } : item;
    }),
  };
}

function rowsOf(store: NetSuiteStore, table: TableDef<never>, after: OrderKey | null): Iterable<never> {
  if (table.name === 'currency') return CURRENCIES as unknown as never[];
  if (!table.recordType) return store.deleted as never[];
  const type: RecordType = table.recordType;
  return (function* () {
    for (const id of store.idsAfter(type, after)) {
      const record = store.get(type, id);
      if (record) yield record as never;
    }
  })();
}

export function runSuiteQL(store: NetSuiteStore, sql: string, options: RunOptions): SuiteQLResult {
  let query: Query;
  try {
    query = resolveOrder(parseSuiteQL(sql));
  } catch (error) {
    if (error instanceof SuiteQLSyntaxError) throw new SuiteQLQueryError(`Search error occurred: ${error.message}`);
    throw error;
  }
  const table = TABLES[query.table];
  if (!table) throw new SuiteQLQueryError(`Search error occurred: Record '${query.table}' was not found.`);
  const env: Env = { table, row: null, offsetMinutes: options.offsetMinutes };
  const select = query.select === '*' ? Object.keys(table.columns).map((name) => ({ expr: { kind: 'column', name } as Expr, name })) : query.select;
  const matches = (row: never): boolean => query.where === null || truthy(evaluate(query.where, { ...env, row }));
  const project = (row: never): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const item of select) {
      const column = item.expr.kind === 'column' ? table.columns[item.expr.name] : undefined;
      const value = format(evaluate(item.expr, { ...env, row }), column, env);
      if (value !== undefined) out[item.name] = value;
    }
    return out;
  };
  // Every referenced column must exist, even when no row is read.
  for (const expr of [...select.map((item) => item.expr), ...(query.where ? [query.where] : []), ...query.orderBy.map((item) => item.expr)]) checkColumns(expr, table);

  const seek = plan(query, env);
  if (seek) {
    if (seek.empty) return { recordType: table.recordType, items: [], totalResults: 0, hasMore: false };
    const items: Record<string, string>[] = [];
    let matched = 0;
    let hasMore = false;
    for (const row of rowsOf(store, table, seek.bound)) {
      if (!matches(row)) continue;
      if (matched >= options.offset + options.limit) { hasMore = true; break; }
      if (matched >= options.offset) items.push(project(row));
      matched++;
    }
    const totalResults = seek.captured ? store.countAfter(table.recordType!, seek.bound) : countAll(rowsOf(store, table, seek.bound), matches);
    return { recordType: table.recordType, items, totalResults, hasMore };
  }

  const rows = [...rowsOf(store, table, null)].filter(matches);
  if (query.orderBy.length > 0) {
    const keyed = rows.map((row) => ({ row, keys: query.orderBy.map((item) => evaluate(item.expr, { ...env, row })) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < query.orderBy.length; i++) {
        const x = a.keys[i]!;
        const y = b.keys[i]!;
        // Oracle sorts NULLs last ascending.
        const cmp = x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : compare(x, y);
        if (cmp !== 0) return query.orderBy[i]!.desc ? -cmp : cmp;
      }
      return 0;
    });
    rows.splice(0, rows.length, ...keyed.map((entry) => entry.row));
  }
  const page = rows.slice(options.offset, options.offset + options.limit);
  const items = page.map(project);
  return { ...(table.recordType ? { recordType: table.recordType } : {}), items, totalResults: rows.length, hasMore: options.offset + options.limit < rows.length };
}

function countAll(rows: Iterable<never>, matches: (row: never) => boolean): number {
  let count = 0;
  for (const row of rows) if (matches(row)) count++;
  return count;
}

function checkColumns(expr: Expr, table: TableDef<never>): void {
  switch (expr.kind) {
    case 'column':
      if (!table.columns[expr.name]) throw new SuiteQLQueryError(`Search error occurred: Field '${expr.name}' for record '${table.name}' was not found.`);
      return;
    case 'call': expr.args.forEach((arg) => checkColumns(arg, table)); return;
    case 'and': case 'or': case 'compare': checkColumns(expr.left, table); checkColumns(expr.right, table); return;
    case 'not': case 'isnull': checkColumns(expr.expr, table); return;
    case 'in': checkColumns(expr.expr, table); expr.list.forEach((item) => checkColumns(item, table)); return;
    default: return;
  }
}
