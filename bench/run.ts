/**
 * `npm run bench`: the end-to-end pipeline benchmark (bench/pipeline.ts), raw topic → ClickHouse.
 * The stage benchmarks run on their own: `npx tsx bench/<name>.ts` (producer-capture, transform,
 * webhooks-delivery, sap-sync).
 */
await import('./pipeline.js');
