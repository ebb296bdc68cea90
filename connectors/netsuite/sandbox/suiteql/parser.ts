/**
 * A small but real parser for the SuiteQL subset Millrace and tests send:
 *   SELECT item[, item…] | * FROM table [WHERE condition] [ORDER BY column [ASC|DESC][, …]]
 * Items are columns or function calls (`TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS')`) with an
 * optional `AS alias`. Conditions combine comparisons (= != <> < <= > >=), IS [NOT] NULL,
 * [NOT] IN (…), NOT, AND, OR and parentheses; operands are columns, 'strings', numbers and calls
 * (`TO_TIMESTAMP('…', '…')`, `TO_DATE(…)`). Keywords and names are case-insensitive. Anything else
 * is a SuiteQLSyntaxError, reported like NetSuite reports an invalid query.
 */
export type Expr =
  | { kind: 'column'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'null' }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'compare'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; left: Expr; right: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'isnull'; expr: Expr; negated: boolean }
  | { kind: 'in'; expr: Expr; list: Expr[]; negated: boolean };

export interface SelectItem {
  expr: Expr;
  /** Output column name: the alias, or the column's own name, lowercase. */
  name: string;
}

export interface OrderItem {
  expr: Expr;
  desc: boolean;
}

export interface Query {
  select: SelectItem[] | '*';
  table: string;
  where: Expr | null;
  orderBy: OrderItem[];
}

export class SuiteQLSyntaxError extends Error {}

type Token = { type: 'word' | 'string' | 'number' | 'op' | 'punct'; text: string; at: number };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new SuiteQLSyntaxError(`Unterminated string literal at position ${i}`);
        if (sql[j] === "'" && sql[j + 1] === "'") { value += "'"; j += 2; continue; }
        if (sql[j] === "'") break;
        value += sql[j++];
      }
      tokens.push({ type: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(sql.slice(i));
    if (number) { tokens.push({ type: 'number', text: number[0], at: i }); i += number[0].length; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_.$]*/.exec(sql.slice(i));
    if (word) { tokens.push({ type: 'word', text: word[0], at: i }); i += word[0].length; continue; }
    const op = /^(<=|>=|<>|!=|=|<|>)/.exec(sql.slice(i));
    if (op) { tokens.push({ type: 'op', text: op[0] === '<>' ? '!=' : op[0], at: i }); i += op[0].length; continue; }
    if ('(),*'.includes(c)) { tokens.push({ type: 'punct', text: c, at: i }); i++; continue; }
    throw new SuiteQLSyntaxError(`Unexpected character '${c}' at position ${i}`);
  }
  return tokens;
}

const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'ORDER', 'BY', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'AS', 'ASC', 'DESC']);

class Parser {
  private pos = 0;
  private unnamed = 0;
  constructor(private readonly tokens: Token[]) {}

  parseQuery(): Query {
    this.keyword('SELECT');
    const select = this.acceptPunct('*') ? '*' : this.list(() => this.selectItem());
    this.keyword('FROM');
    const table = this.identifier();
    const where = this.acceptKeyword('WHERE') ? this.orExpr() : null;
    let orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.keyword('BY');
      orderBy = this.list(() => {
        const expr = this.operand();
        const desc = this.acceptKeyword('DESC');
        if (!desc) this.acceptKeyword('ASC');
        return { expr, desc };
      });
    }
    const rest = this.tokens[this.pos];
    if (rest) throw new SuiteQLSyntaxError(`Unexpected '${rest.text}' at position ${rest.at}`);
    return { select, table: table.toLowerCase(), where, orderBy };
  }

  private selectItem(): SelectItem {
    const expr = this.operand();
    if (this.acceptKeyword('AS')) return { expr, name: this.identifier().toLowerCase() };
    const next = this.peek();
    if (next?.type === 'word' && !RESERVED.has(next.text.toUpperCase())) return { expr, name: this.identifier().toLowerCase() };
    return { expr, name: expr.kind === 'column' ? expr.name : `expr${++this.unnamed}` };
  }

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.andExpr() };
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.notExpr() };
    return left;
  }

  private notExpr(): Expr {
    if (this.acceptKeyword('NOT')) return { kind: 'not', expr: this.notExpr() };
    return this.predicate();
  }

  private predicate(): Expr {
    // A '(' here opens a group: function calls start with their name.
    if (this.peek()?.type === 'punct' && this.peek()?.text === '(') {
      this.pos++;
      const inner = this.orExpr();
      this.punct(')');
      return inner;
    }
    const left = this.operand();
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.keyword('NULL');
      return { kind: 'isnull', expr: left, negated };
    }
    const negatedIn = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.punct('(');
      const list = this.list(() => this.operand());
      this.punct(')');
      return { kind: 'in', expr: left, list, negated: negatedIn };
    }
    if (negatedIn) throw this.unexpected('IN');
    const op = this.next();
    if (op?.type !== 'op') throw new SuiteQLSyntaxError(`Expected a comparison operator at position ${op?.at ?? 'end'}`);
    return { kind: 'compare', op: op.text as '=', left, right: this.operand() };
  }

  private operand(): Expr {
    const token = this.next();
    if (!token) throw new SuiteQLSyntaxError('Unexpected end of query');
    if (token.type === 'string') return { kind: 'string', value: token.text };
    if (token.type === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.type === 'word') {
      if (token.text.toUpperCase() === 'NULL') return { kind: 'null' };
      if (RESERVED.has(token.text.toUpperCase())) throw new SuiteQLSyntaxError(`Unexpected '${token.text}' at position ${token.at}`);
      if (this.acceptPunct('(')) {
        const args = this.peek()?.text === ')' ? [] : this.list(() => this.operand());
        this.punct(')');
        return { kind: 'call', name: token.text.toUpperCase(), args };
      }
      return { kind: 'column', name: token.text.toLowerCase() };
    }
    throw new SuiteQLSyntaxError(`Unexpected '${token.text}' at position ${token.at}`);
  }

  private list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.acceptPunct(',')) items.push(item());
    return items;
  }

  private identifier(): string {
    const token = this.next();
    if (token?.type !== 'word' || RESERVED.has(token.text.toUpperCase())) throw new SuiteQLSyntaxError(`Expected a name at position ${token?.at ?? 'end'}`);
    return token.text;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  private acceptKeyword(word: string): boolean {
    const token = this.peek();
    if (token?.type === 'word' && token.text.toUpperCase() === word) { this.pos++; return true; }
    return false;
  }

  private keyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected(word);
  }

  private acceptPunct(text: string): boolean {
    if (this.peek()?.type === 'punct' && this.peek()?.text === text) { this.pos++; return true; }
    return false;
  }

  private punct(text: string): void {
    if (!this.acceptPunct(text)) throw this.unexpected(text);
  }

  private unexpected(expected: string): SuiteQLSyntaxError {
    const token = this.peek();
    return new SuiteQLSyntaxError(`Expected ${expected} at position ${token?.at ?? 'end'}${token ? `, found '${token.text}'` : ''}`);
  }
}

export function parseSuiteQL(sql: string): Query {
  return new Parser(tokenize(sql)).parseQuery();
}
