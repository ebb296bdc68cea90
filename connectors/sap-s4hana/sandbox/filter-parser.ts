/**
 * The OData V2 `$filter` subset SAP Gateway parses and Millrace's connector sends: comparisons
 * (`eq ne gt ge lt le`) between a property and a literal, `and`, `or`, `not`, parentheses, and the
 * literals `'text'` (quotes doubled inside), `datetime'2024-05-01T00:00:00'`,
 * `datetimeoffset'2024-05-01T00:00:00.123Z'`, `time'PT11H50M49S'`, `guid'…'`, numbers (`10`, `1.5M`,
 * `42L`), `true`, `false`, `null`. A syntax error carries the 1-based position SAP reports in
 * "Invalid token detected at position N".
 */
export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'datetime'; text: string }
  | { kind: 'datetimeoffset'; text: string }
  | { kind: 'time'; text: string }
  | { kind: 'guid'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; operator: ComparisonOperator; property: string; literal: Literal; position: number };

export class FilterSyntaxError extends Error {
  constructor(readonly position: number, message = `Invalid token detected at position ${position}`) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { type: 'open' | 'close'; position: number }
  | { type: 'word'; text: string; position: number }
  | { type: 'literal'; literal: Literal; position: number };

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const TYPED_PREFIXES = new Set(['datetime', 'datetimeoffset', 'time', 'guid']);
const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  while (index < text.length) {
    const char = text[index]!;
    if (char === "'") {
      if (text[index + 1] === "'") {
        value += "'";
        index += 2;
        continue;
      }
      return { value, end: index + 1 };
    }
    value += char;
    index++;
  }
  throw new FilterSyntaxError(start + 1);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    const position = index + 1;
    if (char === ' ' || char === '\t') {
      index++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'open' : 'close', position });
      index++;
    } else if (char === "'") {
      const quoted = readQuoted(text, index);
      tokens.push({ type: 'literal', literal: { kind: 'string', value: quoted.value }, position });
      index = quoted.end;
    } else if (/[0-9-]/.test(char)) {
      const match = /^-?\d+(?:\.\d+)?[mMdDfFlL]?/.exec(text.slice(index));
      if (!match) throw new FilterSyntaxError(position);
      tokens.push({ type: 'literal', literal: { kind: 'number', text: match[0].replace(/[mMdDfFlL]$/, '') }, position });
      index += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index))!;
      const word = match[0];
      index += word.length;
      if (text[index] === "'" && TYPED_PREFIXES.has(word.toLowerCase())) {
        const quoted = readQuoted(text, index);
        index = quoted.end;
        const kind = word.toLowerCase() as 'datetime' | 'datetimeoffset' | 'time' | 'guid';
        const literal: Literal = kind === 'guid' ? { kind, value: quoted.value } : { kind, text: quoted.value };
        tokens.push({ type: 'literal', literal, position });
      } else if (word === 'true' || word === 'false') {
        tokens.push({ type: 'literal', literal: { kind: 'boolean', value: word === 'true' }, position });
      } else if (word === 'null') {
        tokens.push({ type: 'literal', literal: { kind: 'null' }, position });
      } else {
        tokens.push({ type: 'word', text: word, position });
      }
    } else {
      throw new FilterSyntaxError(position);
    }
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[], private readonly length: number) {}

  parse(): FilterNode {
    const node = this.parseOr();
    const extra = this.tokens[this.index];
    if (extra) throw new FilterSyntaxError(extra.position);
    return node;
  }

  private peekWord(word: string): boolean {
    const token = this.tokens[this.index];
    return token?.type === 'word' && token.text === word;
  }

  private parseOr(): FilterNode {
    let node = this.parseAnd();
    while (this.peekWord('or')) {
      this.index++;
      node = { kind: 'or', left: node, right: this.parseAnd() };
    }
    return node;
  }

  private parseAnd(): FilterNode {
    let node = this.parseUnary();
    while (this.peekWord('and')) {
      this.index++;
      node = { kind: 'and', left: node, right: this.parseUnary() };
    }
    return node;
  }

  private parseUnary(): FilterNode {
    if (this.peekWord('not')) {
      this.index++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    const token = this.tokens[this.index];
    if (token?.type === 'open') {
      this.index++;
      const node = this.parseOr();
      const close = this.tokens[this.index];
      if (close?.type !== 'close') throw new FilterSyntaxError(close?.position ?? this.length + 1);
      this.index++;
      return node;
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const left = this.next();
    const operator = this.next();
    const right = this.next();
    if (operator.type !== 'word' || !OPERATORS.has(operator.text)) throw new FilterSyntaxError(operator.position);
    const op = operator.text as ComparisonOperator;
    if (left.type === 'word' && right.type === 'literal') {
      return { kind: 'compare', operator: op, property: left.text, literal: right.literal, position: left.position };
    }
    if (left.type === 'literal' && right.type === 'word') {
      return { kind: 'compare', operator: FLIPPED[op], property: right.text, literal: left.literal, position: right.position };
    }
    throw new FilterSyntaxError(right.type === 'word' || right.type === 'literal' ? left.position : right.position);
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw new FilterSyntaxError(this.length + 1);
    this.index++;
    return token;
  }
}

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new FilterSyntaxError(1);
  return new Parser(tokens, text.length).parse();
}
