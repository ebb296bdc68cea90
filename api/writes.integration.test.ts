import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netsuiteConnector } from '../connectors/netsuite/index.js';
import { sapS4hanaConnector } from '../connectors/sap-s4hana/index.js';
import { startSapSandbox, type RunningSapSandbox } from '../connectors/sap-s4hana/sandbox/index.js';
import { createLogger } from '../platform/logger.js';
import { RAW_HEADERS } from '../platform/raw-record.js';
import { topicNames } from '../platform/topics.js';
import { CompactedTopicView, type ViewMessage } from '../platform/compacted-view.js';
import { recordId } from '../schemas/index.js';
import { uniqueName } from '../test/support/kafka.js';
import { waitFor } from '../test/support/wait-for.js';
import { startApiHarness, type ApiHarness } from './testing/api-harness.js';
import { storeSourceImage } from './testing/stored-images.js';

function newOrder(overrides: Record<string, unknown> = {}) {
  return {
    vendor_remote_id: '17300001',
    company_id: '1710',
    subsidiary: 'Purch. org. 1710',
    buyer: '001',
    currency: 'USD',
    issue_date: '2024-06-03',
    external_reference: 'REQ-77',
    lines: [{ line_number: 10, item_code: '21000001', quantity: '5', uom: 'PC', unit_price: '12.5', location_remote_id: '1710' }],
    ...overrides,
  };
}

describe('writes through the API to the source system', () => {
  let api: ApiHarness;
  let sap: RunningSapSandbox;
  let connectionId: string;
  let raw: CompactedTopicView;
  const rawMessages: ViewMessage[] = [];
  const sapConfig = () => ({ baseUrl: sap.baseUrl, username: sap.credentials.username, password: sap.credentials.password });
  const creates = () => sap.state.requestLog.filter((entry) => entry.method === 'POST' && entry.url.includes('/A_PurchaseOrder')).length;

  beforeAll(async () => {
    sap = await startSapSandbox({ size: 10 });
    api = await startApiHarness({ connectorList: [sapS4hanaConnector, netsuiteConnector] });
    const created = await api.call('POST', '/v1/connections', { body: { system: 'sap_s4hana', name: 'S/4HANA', config: sapConfig(), paused: true } });
    expect(created.status).toBe(201);
    connectionId = created.body.connection.id;
    raw = new CompactedTopicView({ kafka: api.kafka, topics: [topicNames(api.prefix).raw('purchase_orders')], groupPrefix: uniqueName('raw-tail'), logger: createLogger({ level: 'silent' }), apply: (message) => rawMessages.push(message) });
    await raw.start();
  });
  afterAll(async () => {
    await raw?.stop();
    await api?.close();
    await sap?.close();
  });

  const post = (body: unknown, options: { key?: string; query?: string; idempotencyKey?: string } = {}) =>
    api.call('POST', `/v1/purchase-orders?connection_id=${connectionId}${options.query ?? ''}`, {
      key: options.key ?? api.keys.write,
      body,
      ...(options.idempotencyKey ? { headers: { 'idempotency-key': options.idempotencyKey } } : {}),
    });

  it('dry-runs against the model and the source\'s rules without calling the source', async () => {
    const requestsBefore = sap.state.requestLog.length;
    const valid = await post(newOrder(), { query: '&dry_run=true' });
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ dry_run: true, valid: true, entity: 'purchase_order', connection_id: connectionId, input: { currency: 'USD' } });
    const breaksSapRules = await post(newOrder({ company_id: undefined }), { query: '&dry_run=true' });
    expect(breaksSapRules.status).toBe(422);
    expect(breaksSapRules.body.error).toMatchObject({ code: 'write_validation_failed', issues: [{ path: 'body.company_id', message: expect.stringContaining('company code') }] });
    const breaksModel = await post(newOrder({ lines: [{ line_number: 10, quantity: 'five' }] }), { query: '&dry_run=true' });
    expect(breaksModel.status).toBe(400);
    expect(breaksModel.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('body.lines.0.quantity');
    const unknownField = await post(newOrder({ colour: 'red' }), { query: '&dry_run=true' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.issues).toContainEqual({ path: 'body.colour', message: expect.stringContaining('unknown field') });
    const readOnly = await post(newOrder({ total: '10' }), { query: '&dry_run=true' });
    expect(readOnly.status).toBe(400);
    expect(sap.state.requestLog.length).toBe(requestsBefore);
  });

  it('creates one source record however often a request with an Idempotency-Key is retried, and captures it at once', async () => {
    const before = creates();
    const key = `po-${Date.now()}`;
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++) answers.push(await post(newOrder(), { idempotencyKey: key }));
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(answers[2]!.headers['idempotent-replayed']).toBe('true');
    expect(creates() - before).toBe(1);
    const { remote_id: remoteId, id, captured } = answers[0]!.body;
    expect(id).toBe(recordId(connectionId, 'purchase_order', remoteId));
    expect(captured).toBe(true);
    const message = await waitFor(() => rawMessages.find((candidate) => candidate.key === `${connectionId}:${remoteId}`), { description: 'the written record in the raw topic' });
    expect(message.headers?.[RAW_HEADERS.op]?.toString()).toBe('upsert');
    expect(message.headers?.[RAW_HEADERS.syncRunId]?.toString()).toMatch(/^write-/);
    expect(JSON.parse(message.value!.toString())).toMatchObject({ PurchaseOrder: remoteId, Supplier: '17300001' });

    const reused = await post(newOrder({ external_reference: 'REQ-78' }), { idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(creates() - before).toBe(1);
  });

  it('lets one of several concurrent identical requests run; the others are told it is in progress', async () => {
    const before = creates();
    sap.state.faults.slowMs = 300;
    const key = `concurrent-${Date.now()}`;
    const answers = await Promise.all([0, 1, 2].map(() => post(newOrder(), { idempotencyKey: key })));
    sap.state.faults.slowMs = 0;
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.error.code === 'idempotency_key_in_progress')).toBe(true);
    expect(creates() - before).toBe(1);
    const retried = await post(newOrder(), { idempotencyKey: key });
    expect(retried.status).toBe(201);
    expect(retried.body.remote_id).toBe(answers.find((answer) => answer.status === 201)!.body.remote_id);
  });

  it('answers the source\'s refusal with its field errors, and replays it to a retry with the same key', async () => {
    const key = `refused-${Date.now()}`;
    const refused = await post(newOrder({ vendor_remote_id: '99999999' }), { idempotencyKey: key });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'source_validation_failed', details: { source_code: 'ME/046' } });
    expect(refused.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('body.vendor_remote_id');
    const before = sap.state.requestLog.length;
    const again = await post(newOrder({ vendor_remote_id: '99999999' }), { idempotencyKey: key });
    expect(again.status).toBe(422);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(sap.state.requestLog.length).toBe(before);
  });

  it('updates a record it has read, by its Millrace id', async () => {
    // Stored as a sync leaves it: the update is based on this version (a stale one is tested in write-conflicts).
    const { record } = await storeSourceImage(api.clickhouse, sapS4hanaConnector, sapConfig(), connectionId, 'purchase_order', '4500000001');
    const id = record.id as string;
    const dry = await api.call('PATCH', `/v1/purchase-orders/${id}?dry_run=true`, { key: api.keys.write, body: { payment_terms: '0004' } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, valid: true });
    const updated = await api.call('PATCH', `/v1/purchase-orders/${id}`, { key: api.keys.write, body: { payment_terms: '0004', incoterms: 'FOB' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, remote_id: '4500000001', captured: true });
    const inSap = sap.state.tenant.purchaseOrders.get('4500000001');
    expect(inSap).toMatchObject({ PaymentTerms: '0004', IncotermsClassification: 'FOB' });
    const notWritable = await api.call('PATCH', `/v1/purchase-orders/${id}`, { key: api.keys.write, body: { currency: 'EUR' } });
    expect(notWritable.status).toBe(400);
    expect(notWritable.body.error.issues).toContainEqual({ path: 'body.currency', message: expect.any(String) });
    const foreign = await api.call('PATCH', `/v1/purchase-orders/${id}`, { key: api.keys.otherAdmin, body: { payment_terms: '0001' } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('record_not_found');
  });

  it('creates a work order (maintenance order) the same way', async () => {
    const order = {
      title: 'Replace leaking seal on P-101',
      type: 'corrective',
      priority: 'high',
      site: '1710',
      asset_remote_id: '10000003',
      assigned_to: [{ type: 'team', remote_id: 'RES-0100', name: 'Mechanics' }],
      scheduled_start: '2024-06-10T08:00:00Z',
      tasks: [{ sequence: 10, description: 'Replace mechanical seal', estimated_hours: '3' }],
    };
    const twoDecimals = await api.call('POST', `/v1/work-orders?connection_id=${connectionId}&dry_run=true`, { key: api.keys.write, body: { ...order, tasks: [{ sequence: 10, description: 'Replace mechanical seal', estimated_hours: '3.25' }] } });
    expect(twoDecimals.status).toBe(422);
    // The source's rule paths are spelled like the model's: tasks.0.estimated_hours.
    expect(twoDecimals.body.error.issues).toContainEqual({ path: 'body.tasks.0.estimated_hours', message: expect.stringContaining('one decimal') });
    const requestsBefore = sap.state.requestLog.length;
    const dry = await api.call('POST', `/v1/work-orders?connection_id=${connectionId}&dry_run=true`, { key: api.keys.write, body: order });
    expect(dry.status).toBe(200);
    expect(sap.state.requestLog.length).toBe(requestsBefore);
    const missingTitle = await api.call('POST', `/v1/work-orders?connection_id=${connectionId}`, { key: api.keys.write, body: { ...order, title: undefined } });
    expect(missingTitle.status).toBe(400);
    expect(missingTitle.body.error.issues.map((issue: { path: string }) => issue.path)).toContain('body.title');
    const created = await api.call('POST', `/v1/work-orders?connection_id=${connectionId}`, { key: api.keys.write, body: order });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ entity: 'work_order', connection_id: connectionId, captured: true });
    expect(sap.state.tenant.maintenanceOrders.get(created.body.remote_id)).toMatchObject({ MaintenanceOrderDesc: order.title });
  });

  it('refuses writes a key, a connection or a connector cannot make', async () => {
    const readOnly = await post(newOrder(), { key: api.keys.read });
    expect(readOnly.status).toBe(403);
    const foreign = await post(newOrder(), { key: api.keys.otherAdmin });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('connection_not_found');
    const badKey = await post(newOrder(), { idempotencyKey: 'has a space' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.code).toBe('idempotency_key_invalid');
    const netsuite = await api.connections.create({ system: 'netsuite', name: 'ns', config: { accountId: '1234567', authType: 'tba', consumerKey: 'a', consumerSecret: 'b', tokenId: 'c', tokenSecret: 'd' }, owner: 'acme', paused: true });
    const workOrder = await api.call('POST', `/v1/work-orders?connection_id=${netsuite.id}&dry_run=true`, { key: api.keys.write, body: { title: 'Replace bearing', type: 'corrective' } });
    expect(workOrder.status).toBe(405);
    expect(workOrder.body.error.code).toBe('write_not_supported');
    const missingConnection = await api.call('POST', '/v1/purchase-orders', { key: api.keys.write, body: newOrder() });
    expect(missingConnection.status).toBe(400);
    expect(missingConnection.body.error.issues[0].path).toBe('query.connection_id');
  });
});
