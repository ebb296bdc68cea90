/**
 * `npm run bench`: the end-to-end pipeline benchmark (bench/pipeline.ts), raw topic → ClickHouse.
 * `npm run bench -- <name> [its arguments]`: one of the other benchmarks, e.g.
 *   npm run bench -- producer-capture 200000   raw capture into Kafka (issue bar: ≥ 30,000/s)
 *   npm run bench -- transform                 the transformer alone and on the broker
 *   npm run bench -- clickhouse-insert         embedded ClickHouse's CPU per row and table: inserts, merges, floor
 *   npm run bench -- ab <git ref>              transformer and sink converters, a ref against the working tree, in one process
 *   npm run bench -- webhooks-delivery         signed deliveries to 100 local endpoints
 *   npm run bench -- api-list                  list latency over 1,000,000 purchase orders
 *   npm run bench -- sap-100k                  100,000 SAP sandbox orders into ClickHouse (minutes)
 *   npm run bench -- sap-sync                  the SAP connector's capture alone
 * Measured figures, with the machine: docs/benchmarks.md.
 */
const BENCHMARKS = ['pipeline', 'producer-capture', 'transform', 'clickhouse-insert', 'ab', 'webhooks-delivery', 'api-list', 'sap-100k', 'sap-sync'];

const name = process.argv[2];
if (name !== undefined && BENCHMARKS.includes(name)) {
  // Each benchmark reads its own arguments from argv[2] on.
  process.argv.splice(2, 1);
  await import(`./${name}.js`);
} else if (name !== undefined && !/^(\d+|--.*)$/.test(name)) {
  process.stderr.write(`unknown benchmark "${name}"; one of: ${BENCHMARKS.join(', ')}\n`);
  process.exit(2);
} else {
  await import('./pipeline.js');
}
