import os from 'node:os';
import { mappedRecordSchema, recordId } from '../schemas/index.js';
import type { ChangeCursor } from '../connectors/sap-s4hana/change-reader.js';
import { mapPurchaseOrder } from '../connectors/sap-s4hana/mappers/purchase-order.js';
import type { ODataRecord } from '../connectors/sap-s4hana/odata/page.js';
import { readContext, runSync, startHarness } from '../connectors/sap-s4hana/sandbox/test-harness.js';
import { purchaseOrdersStream } from '../connectors/sap-s4hana/streams/purchase-orders.js';

/**
 * Full sync of N sandbox purchase orders (5 items each) through the real SAP connector over
 * loopback HTTP (sandbox and connector share this process and its CPU): every page read with
 * `$expand`, every record mapped and validated against the unified model as the transformer
 * would, then an incremental sync after changes. Prints counts, timings and memory.
 *
 *   npx tsx bench/sap-sync.ts [orders=100000] [pageSize=1000]
 */
const ORDERS = Number(process.argv[2] ?? 100_000);
const PAGE_SIZE = Number(process.argv[3] ?? 1000);
const CHANGED = 250;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

const context = { connectionId: 'bench', sourceSystem: 'sap_s4hana', idFor: (entity: Parameters<typeof recordId>[1], remoteId: string) => recordId('bench', entity, remoteId) };
const schema = mappedRecordSchema('purchase_order');

const harness = await startHarness({ sizes: { purchaseOrders: ORDERS, maintenanceOrders: 10, equipment: 10, businessPartners: 400, products: 2000 } }, { pageSize: PAGE_SIZE });
try {
  let lines = 0;
  let deleted = 0;
  let pages = 0;
  let cursor: ChangeCursor | null = null;
  const keys = new Set<string>();
  let mappedMs = 0;
  const started = performance.now();
  // Page by page, as the runtime reads (and the transformer maps): raw pages are not kept.
  for await (const page of purchaseOrdersStream.read(harness.client, null, readContext())) {
    pages++;
    cursor = page.cursor;
    const mapStarted = performance.now();
    for (const raw of page.records as ODataRecord[]) {
      const mapped = schema.parse(mapPurchaseOrder(raw, context));
      lines += mapped.lines?.length ?? 0;
      if (mapped.is_deleted) deleted++;
      keys.add(mapped.remote_id);
    }
    mappedMs += performance.now() - mapStarted;
  }
  const totalMs = performance.now() - started;
  const readMs = totalMs - mappedMs;
  const requests = harness.sandbox.state.requestLog.length;

  // Changes, then an incremental sync.
  for (let i = 0; i < CHANGED; i++) harness.sandbox.control.updatePurchaseOrder(String(4500000000 + Math.floor((i * ORDERS) / CHANGED)), { PaymentTerms: '0004' });
  const incrementalStarted = performance.now();
  const incremental = await runSync(purchaseOrdersStream, harness.client, cursor);
  const incrementalMs = performance.now() - incrementalStarted;

  const result = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, Node ${process.version}`,
    orders_expected: ORDERS,
    distinct_orders_read: keys.size,
    lines_mapped: lines,
    flagged_deleted: deleted,
    pages,
    http_requests: requests,
    total_seconds: +(totalMs / 1000).toFixed(1),
    read_seconds: +(readMs / 1000).toFixed(1),
    map_and_validate_seconds: +(mappedMs / 1000).toFixed(1),
    orders_per_second: Math.round(ORDERS / (totalMs / 1000)),
    incremental_changed: CHANGED,
    incremental_read: incremental.records.length,
    incremental_seconds: +(incrementalMs / 1000).toFixed(2),
    peak_rss: mb(process.memoryUsage().rss),
  };
  console.log(JSON.stringify(result, null, 2));
  if (keys.size !== ORDERS || lines !== ORDERS * 5 || incremental.records.length < CHANGED) {
    console.error('COUNTS DO NOT MATCH');
    process.exitCode = 1;
  }
} finally {
  await harness.close();
}
