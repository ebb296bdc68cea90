import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { AST_FIXTURES } from './ast-fixtures.js';
import { assertSelect, checkAst } from './sql-guard.js';

const check = { allowed: new Set(['t', 't_latest']), existing: new Set(['t', 't_latest', 'secrets']), database: 'millrace' };

function refusal(explain: string): string {
  try {
    checkAst(explain, check);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('sql_not_allowed');
    return (error as ApiError).message;
  }
  throw new Error('the query was allowed');
}

describe('SQL guard over ClickHouse\'s parse of the query', () => {
  it('allows a query over open tables, subqueries included', () => {
    expect(() => checkAst(AST_FIXTURES.inSubquery.explain, check)).not.toThrow();
  });

  it('refuses table functions, SETTINGS, the scalar file() and IN <table>', () => {
    expect(refusal(AST_FIXTURES.tableFunction.explain)).toContain('table function merge()');
    expect(refusal(AST_FIXTURES.settings.explain)).toContain('SETTINGS');
    expect(refusal(AST_FIXTURES.scalarFile.explain)).toContain('file()');
    expect(refusal(AST_FIXTURES.inTable.explain)).toContain('secrets');
  });

  it('refuses tables of other databases and closed tables, but not WITH names', () => {
    const explain = (table: string) => `"SelectWithUnionQuery (children 1)"\n" ExpressionList (children 1)"\n"  SelectQuery (children 2)"\n"   ExpressionList (children 1)"\n"    Asterisk"\n"   TablesInSelectQuery (children 1)"\n"    TablesInSelectQueryElement (children 1)"\n"     TableExpression (children 1)"\n"      TableIdentifier ${table}"\n`;
    expect(refusal(explain('system.tables'))).toContain('only tables of the millrace database');
    expect(refusal(explain('secrets'))).toContain('not open to SQL');
    expect(refusal(explain('millrace.secrets'))).toContain('not open to SQL');
    expect(() => checkAst(explain('millrace.t (alias x)'), check)).not.toThrow();
    expect(() => checkAst(explain('recent_orders'), check)).not.toThrow();
  });

  it('accepts only SELECT and WITH statements', () => {
    expect(() => assertSelect('SELECT 1')).not.toThrow();
    expect(() => assertSelect('WITH x AS (SELECT 1) SELECT * FROM x')).not.toThrow();
    for (const statement of ['INSERT INTO t VALUES (1)', 'DROP TABLE t', 'SYSTEM FLUSH LOGS', 'SHOW TABLES', 'EXPLAIN SELECT 1']) {
      expect(() => assertSelect(statement), statement).toThrow(ApiError);
    }
  });
});
