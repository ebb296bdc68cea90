import { afterEach, describe, expect, it } from 'vitest';
import { captureTimestampMicros, rawHeaders, rawKey } from '../../platform/raw-record.js';
import { transformRecord } from '../../transformers/record-pipeline.js';
import { connectorById } from '../registry.js';
import { runSync, startHarness, type Harness } from './sandbox/test-harness.js';

/**
 * Every stream's raw records, as the runtime would capture them, through the transformer's record
 * pipeline (registry lookup, mapper, envelope, unified validation): no dead letters.
 */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('SAP records through the transformer pipeline', () => {
  it('turns every raw record of every stream into a valid unified record', async () => {
    harness = await startHarness({ size: 25 });
    const connector = connectorById('sap_s4hana');
    expect(connector).toBeDefined();
    const client = harness.connect({ pageSize: 10 });
    for (const stream of connector!.streams) {
      const { records } = await runSync(stream, client, null);
      expect(records.length).toBeGreaterThan(0);
      for (const raw of records) {
        const remoteId = stream.remoteId(raw);
        const outcome = transformRecord(
          {
            key: Buffer.from(rawKey('conn-1', remoteId)),
            value: Buffer.from(JSON.stringify(raw)),
            headers: rawHeaders({ connectionId: 'conn-1', sourceSystem: 'sap_s4hana', entity: stream.entity, stream: stream.name, op: 'upsert', syncRunId: 'run-1', capturedAtMicros: captureTimestampMicros() }),
          },
          { entity: stream.entity, connectorLookup: connectorById, mappingFor: () => ({}) },
        );
        if (outcome.kind === 'dead') throw new Error(`${stream.name} ${remoteId}: ${outcome.letter.stage} ${outcome.letter.path}: ${outcome.letter.reason}`);
        expect(outcome.kind).toBe('upsert');
        expect(outcome.kind === 'upsert' && outcome.record.source_system).toBe('sap_s4hana');
      }
    }
  });
});
