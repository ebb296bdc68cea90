/**
 * `npm run bench`: the end-to-end pipeline benchmark (bench/pipeline.ts), raw topic → ClickHouse.
 * `npm run bench -- sap-100k [orders]`: the SAP bar, 100,000 sandbox purchase orders through the
 * producer runtime, the transformer and the ClickHouse sink (minutes; bench/sap-100k.ts).
 * The stage benchmarks run on their own: `npx tsx bench/<name>.ts` (producer-capture, transform,
 * webhooks-delivery, sap-sync).
 */
if (process.argv[2] === 'sap-100k') await import('./sap-100k.js');
else await import('./pipeline.js');
