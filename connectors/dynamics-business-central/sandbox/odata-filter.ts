/**
 * The OData v4 `$filter` subset Business Central answers: comparisons (eq ne gt ge lt le), and/or/not,
 * parentheses, contains/startswith/endswith, and the literal forms BC accepts: unquoted datetimes
 * (`2024-05-01T00:00:00Z`, with or without milliseconds, `Z` or an offset), dates (`2024-05-01`),
 * unquoted GUIDs, quoted strings (`''` escapes a quote), numbers, true/false/null.
 * Types are checked against the entity's fields the way the OData library does, so a connector
 * that quotes a datetime gets the same 400 as from the real service.
 */
export type FieldType = 'string' | 'enum' | 'guid' | 'date' | 'datetime' | 'number' | 'boolean';
export type EntitySchema = Record<string, FieldType>;

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'datetime'; value: number; text: string }
  | { type: 'date'; value: string }
  | { type: 'guid'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterNode =
  | { kind: 'cmp'; field: string; op: CompareOp; value: Literal }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'fn'; name: 'contains' | 'startswith' | 'endswith'; field: string; value: string };

/** A query the service refuses: becomes a 400 with the BC error body. */
export class ODataQueryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const EDM: Record<FieldType, string> = {
  string: 'Edm.String', enum: 'Edm.String', guid: 'Edm.Guid', date: 'Edm.Date',
  datetime: 'Edm.DateTimeOffset', number: 'Edm.Decimal', boolean: 'Edm.Boolean',
};
const OP_KIND: Record<CompareOp, string> = {
  eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual',
};
const LITERAL_EDM: Record<Literal['type'], string> = {
  string: 'Edm.String', datetime: 'Edm.DateTimeOffset', date: 'Edm.Date', guid: 'Edm.Guid',
  number: 'Edm.Decimal', boolean: 'Edm.Boolean', null: 'null',
};

const TOKEN = new RegExp(
  [
    String.raw`(?<ws>\s+)`,
    String.raw`(?<paren>[(),])`,
    String.raw`(?<str>'(?:[^']|'')*')`,
    String.raw`(?<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2}))`,
    String.raw`(?<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`,
    String.raw`(?<date>\d{4}-\d{2}-\d{2})`,
    String.raw`(?<num>-?\d+(?:\.\d+)?)`,
    String.raw`(?<word>[A-Za-z_][A-Za-z0-9_]*)`,
  ].join('|'),
  'y',
);

interface Token { kind: string; text: string; at: number }

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match?.groups) throw syntaxError(source, at);
    const [kind, text] = Object.entries(match.groups).find(([, value]) => value !== undefined)!;
    if (kind !== 'ws') tokens.push({ kind, text: text!, at });
  }
  return tokens;
}

function syntaxError(source: string, at: number): ODataQueryError {
  return new ODataQueryError('BadRequest', `Syntax error at position ${at} in '${source}'.`);
}

/** Parses and type-checks a `$filter` value against the entity's fields. */
export function parseFilter(source: string, schema: EntitySchema, typeName: string): FilterNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos++];
    if (!token) throw syntaxError(source, source.length);
    return token;
  };
  const isWord = (word: string): boolean => peek()?.kind === 'word' && peek()!.text.toLowerCase() === word;
  const fieldType = (name: string): FieldType => {
    const type = schema[name];
    if (!type) throw new ODataQueryError('BadRequest_NotFound', `Could not find a property named '${name}' on type 'Microsoft.NAV.${typeName}'.`);
    return type;
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isWord('or')) { next(); left = { kind: 'or', left, right: parseAnd() }; }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (isWord('and')) { next(); left = { kind: 'and', left, right: parseUnary() }; }
    return left;
  };
  const parseUnary = (): FilterNode => {
    if (isWord('not')) { next(); return { kind: 'not', expr: parseUnary() }; }
    if (peek()?.text === '(') {
      next();
      const inner = parseOr();
      if (next().text !== ')') throw syntaxError(source, tokens[pos - 1]!.at);
      return inner;
    }
    return parseComparison();
  };
  const parseComparison = (): FilterNode => {
    const head = next();
    if (head.kind !== 'word') throw syntaxError(source, head.at);
    const fn = head.text.toLowerCase();
    if ((fn === 'contains' || fn === 'startswith' || fn === 'endswith') && peek()?.text === '(') {
      next();
      const field = next();
      if (field.kind !== 'word') throw syntaxError(source, field.at);
      if (next().text !== ',') throw syntaxError(source, field.at);
      const literal = parseLiteral(next());
      if (next().text !== ')') throw syntaxError(source, field.at);
      const type = fieldType(field.text);
      if ((type !== 'string' && type !== 'enum') || literal.type !== 'string') {
        throw new ODataQueryError('BadRequest', `No function signature for the function with name '${fn}' matches the specified arguments.`);
      }
      return { kind: 'fn', name: fn, field: field.text, value: literal.value };
    }
    const type = fieldType(head.text);
    const opToken = next();
    const op = opToken.text.toLowerCase() as CompareOp;
    if (opToken.kind !== 'word' || !(op in OP_KIND)) throw syntaxError(source, opToken.at);
    const value = parseLiteral(next());
    if (!compatible(type, value)) {
      throw new ODataQueryError(
        'BadRequest',
        `A binary operator with incompatible types was detected. Found operand types '${EDM[type]}' and '${LITERAL_EDM[value.type]}' for operator kind '${OP_KIND[op]}'.`,
      );
    }
    return { kind: 'cmp', field: head.text, op, value };
  };
  const parseLiteral = (token: Token): Literal => {
    switch (token.kind) {
      case 'str': return { type: 'string', value: token.text.slice(1, -1).replaceAll("''", "'") };
      case 'datetime': {
        const value = Date.parse(token.text);
        if (Number.isNaN(value)) throw new ODataQueryError('BadRequest', `Unrecognized 'Edm.DateTimeOffset' literal '${token.text}' at '${token.at}' in '${source}'.`);
        return { type: 'datetime', value, text: token.text };
      }
      case 'date': return { type: 'date', value: token.text };
      case 'guid': return { type: 'guid', value: token.text.toLowerCase() };
      case 'num': return { type: 'number', value: Number(token.text) };
      case 'word': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { type: 'boolean', value: word === 'true' };
        if (word === 'null') return { type: 'null' };
      }
    }
    throw syntaxError(source, token.at);
  };

  const tree = parseOr();
  if (pos < tokens.length) throw syntaxError(source, tokens[pos]!.at);
  return tree;
}

function compatible(field: FieldType, literal: Literal): boolean {
  if (literal.type === 'null') return true;
  switch (field) {
    case 'string':
    case 'enum': return literal.type === 'string';
    case 'guid': return literal.type === 'guid';
    case 'date': return literal.type === 'date';
    case 'datetime': return literal.type === 'datetime';
    case 'number': return literal.type === 'number';
    case 'boolean': return literal.type === 'boolean';
  }
}

/** Comparable form of a record's field value for its declared type. */
export function fieldValue(record: Record<string, unknown>, field: string, type: FieldType): string | number | boolean | null {
  const raw = record[field];
  if (raw === undefined || raw === null) return null;
  if (type === 'datetime') return Date.parse(String(raw));
  if (type === 'guid') return String(raw).toLowerCase();
  return raw as string | number | boolean;
}

function literalValue(literal: Literal): string | number | boolean | null {
  return literal.type === 'null' ? null : literal.value;
}

export function compareValues(a: string | number | boolean | null, b: string | number | boolean | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

export function matches(node: FilterNode, record: Record<string, unknown>, schema: EntitySchema): boolean {
  switch (node.kind) {
    case 'and': return matches(node.left, record, schema) && matches(node.right, record, schema);
    case 'or': return matches(node.left, record, schema) || matches(node.right, record, schema);
    case 'not': return !matches(node.expr, record, schema);
    case 'fn': {
      const value = String(record[node.field] ?? '').toLowerCase();
      const needle = node.value.toLowerCase();
      if (node.name === 'contains') return value.includes(needle);
      return node.name === 'startswith' ? value.startsWith(needle) : value.endsWith(needle);
    }
    case 'cmp': {
      const order = compareValues(fieldValue(record, node.field, schema[node.field]!), literalValue(node.value));
      switch (node.op) {
        case 'eq': return order === 0;
        case 'ne': return order !== 0;
        case 'gt': return order > 0;
        case 'ge': return order >= 0;
        case 'lt': return order < 0;
        case 'le': return order <= 0;
      }
    }
  }
}

/**
 * The lower bound a filter puts on `field` through its top-level `and` chain (`gt`/`ge` on a
 * datetime), so a timestamp-ordered scan can start there instead of at the beginning.
 */
export function lowerBound(node: FilterNode | undefined, field: string): { ms: number; inclusive: boolean } | null {
  if (!node) return null;
  if (node.kind === 'and') {
    const left = lowerBound(node.left, field);
    const right = lowerBound(node.right, field);
    if (!left) return right;
    if (!right) return left;
    return left.ms > right.ms || (left.ms === right.ms && !left.inclusive) ? left : right;
  }
  if (node.kind === 'cmp' && node.field === field && node.value.type === 'datetime' && (node.op === 'gt' || node.op === 'ge')) {
    return { ms: node.value.value, inclusive: node.op === 'ge' };
  }
  return null;
}
