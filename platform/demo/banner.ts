import type { DemoSource } from './demo-sources.js';

/** The SQL the banner suggests: purchase orders and their totals per source system. */
export const DEMO_SQL = 'SELECT source_system, count() AS orders, sum(total) AS total FROM purchase_orders_latest GROUP BY source_system ORDER BY source_system';

export interface BannerFacts {
  apiUrl: string;
  apiKey: string;
  keyFile: string;
  registryUrl: string;
  database: string;
  clickhouseUrl: string | undefined;
  sources: DemoSource[];
}

/**
 * What `millrace start` prints once everything runs: where the API is, the demo key, and
 * commands to try (each one a copy-paste away from an answer).
 */
export function demoBanner(facts: BannerFacts): string[] {
  const auth = `-H "Authorization: Bearer ${facts.apiKey}"`;
  const sqlBody = JSON.stringify({ query: DEMO_SQL });
  const qualifiedSql = DEMO_SQL.replace('FROM purchase_orders_latest', `FROM ${facts.database}.purchase_orders_latest`);
  return [
    '',
    `Millrace is running, with demo sources: ${facts.sources.map((source) => source.name.replace(/^Demo /, '')).join(', ')}.`,
    '',
    `  API              ${facts.apiUrl}   (docs: ${facts.apiUrl}/docs, OpenAPI: ${facts.apiUrl}/openapi.json)`,
    `  API key          ${facts.apiKey}   (admin, owner "demo"; kept in ${facts.keyFile})`,
    `  Schema registry  ${facts.registryUrl}`,
    ...facts.sources.map((source) => `  Source           ${source.system} at ${source.url}`),
    '',
    'The first records arrive within seconds. Try:',
    '',
    '  # purchase orders of all three systems in one shape, counted per system',
    `  curl -s ${auth} "${facts.apiUrl}/v1/purchase-orders?limit=500" | grep -o '"source_system":"[a-z0-9_]*"' | sort | uniq -c`,
    '',
    '  # one purchase order with the source system\'s raw record',
    `  curl -s ${auth} "${facts.apiUrl}/v1/purchase-orders?limit=1&include_remote_data=true"`,
    '',
    '  # SQL through the API',
    `  curl -s ${auth} -H "content-type: application/json" -d '${sqlBody}' ${facts.apiUrl}/v1/sql`,
    '',
    facts.clickhouseUrl
      ? `  # SQL in ClickHouse itself\n  clickhouse client --query "${qualifiedSql}"`
      : `  # SQL in ClickHouse itself (embedded in this process; with CLICKHOUSE_URL use clickhouse client)\n  ${qualifiedSql}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
}
