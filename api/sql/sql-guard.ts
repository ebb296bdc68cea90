import { ApiError } from '../errors.js';

/**
 * Checks a user's SQL before it runs, on ClickHouse's own parse of it (never by pattern-matching
 * the text): `formatQuerySingleLine` refuses several statements, and `EXPLAIN AST` (a parse, no
 * execution) lists every table, function and SETTINGS clause the query holds.
 *
 * Why each rule: readonly=1 is set for the query, but a SETTINGS clause inside a subquery
 * overrides it (`… SETTINGS readonly=0` re-enabled `file()` in a test); table functions (`file`,
 * `url`, `merge`, `remote` …) bypass the per-owner row filters; the scalar `file()` reads server
 * files even under readonly=1; `IN <table>` reads a table without naming it in FROM.
 */
const DENIED_FUNCTIONS = /^(file|dictget\w*|dicthas|dictisin|joinget\w*|getsetting|getserverport|currentprofiles|currentroles|enabledprofiles|enabledroles|defaultroles|getmacro|filesystem\w*)$/i;
const IN_FUNCTIONS = /^(in|notin|globalin|globalnotin|nullin|notnullin|globalnullin|globalnotnullin)$/i;

export interface AstCheck {
  /** Tables (and views) the query may read, unqualified: those with a per-owner filter. */
  allowed: ReadonlySet<string>;
  /** Every table and view of the current database, allowed or not. */
  existing: ReadonlySet<string>;
  database: string;
}

interface AstLine {
  depth: number;
  text: string;
}

function parseAst(explain: string): AstLine[] {
  return explain
    .split('\n')
    .map((line) => line.replace(/^"|"$/g, ''))
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ depth: line.length - line.trimStart().length, text: line.trim() }));
}

function refused(message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError('sql_not_allowed', message, { details });
}

/** Throws sql_not_allowed naming what the query may not use. */
export function checkAst(explain: string, check: AstCheck): void {
  const lines = parseAst(explain);
  const allowedList = [...check.allowed].sort();
  const checkTable = (name: string) => {
    const [database, table] = name.includes('.') ? [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] : [check.database, name];
    if (database !== check.database) throw refused(`The query reads ${name}: only tables of the ${check.database} database can be queried.`, { allowed_tables: allowedList });
    // An unqualified name that is no table is a WITH (CTE) name; its own query is checked line by line.
    if (check.existing.has(table) && !check.allowed.has(table)) throw refused(`The query reads ${name}, which is not open to SQL.`, { allowed_tables: allowedList });
  };
  lines.forEach((line, index) => {
    if (/^Set( |$)/.test(line.text)) throw refused('The query holds a SETTINGS clause; settings are fixed by the server (limits, read-only).');
    const table = /^TableIdentifier (.+?)(?: \(alias .*\))?$/.exec(line.text);
    if (table) checkTable(table[1]!);
    const fn = /^Function (\S+)/.exec(line.text);
    if (!fn) return;
    const parent = lines.slice(0, index).reverse().find((candidate) => candidate.depth < line.depth);
    if (parent?.text.startsWith('TableExpression')) throw refused(`The query uses the table function ${fn[1]}(); query the tables directly.`, { allowed_tables: allowedList });
    if (DENIED_FUNCTIONS.test(fn[1]!)) throw refused(`The function ${fn[1]}() is not available in SQL queries.`);
    if (IN_FUNCTIONS.test(fn[1]!)) checkInOperand(lines, index, checkTable);
  });
}

/** `x IN t` reads table t: the same rules as FROM apply to it. */
function checkInOperand(lines: AstLine[], index: number, checkTable: (name: string) => void): void {
  const list = lines[index + 1];
  if (!list?.text.startsWith('ExpressionList')) return;
  const operands: AstLine[] = [];
  for (const line of lines.slice(index + 2)) {
    if (line.depth <= list.depth) break;
    if (line.depth === list.depth + 1) operands.push(line);
  }
  const right = operands[1];
  const identifier = right ? /^Identifier (.+?)(?: \(alias .*\))?$/.exec(right.text) : null;
  if (identifier) checkTable(identifier[1]!);
}

/** Only a query: the normalized text must start as one. */
export function assertSelect(normalized: string): void {
  if (!/^(SELECT|WITH)\b/i.test(normalized.trimStart())) throw refused('Only SELECT queries are allowed (the SQL endpoint is read-only).');
}
