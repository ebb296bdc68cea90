import { loadConfig } from './platform/config.js';
import { createKafka } from './platform/kafka.js';
import { createLogger } from './platform/logger.js';
import { resolveBrokers } from './platform/services.js';
import { createUnifiedCodec, startSchemaRegistry } from './schemas/index.js';
import { processChunk } from './transformers/chunk-processor.js';
import { hashedFields } from './transformers/field-hash.js';
import { StateTable } from './transformers/state-table.js';
import { plantConnectorLookup } from './transformers/testing/plant-connector.js';
import { plantRawMessages } from './sinks/clickhouse/testing/pipeline-fixtures.js';
const config = loadConfig();
const logger = createLogger({ level: 'warn' });
const { brokers } = await resolveBrokers(config, logger);
const kafka = createKafka({ brokers, clientId: 'x', logger });
const registry = await startSchemaRegistry({ kafka, topic: 'scratch-sizes._schemas', port: 0, logger });
const codec = createUnifiedCodec({ registryUrl: registry.url, topicPrefix: 'scratch-sizes.' });
for (const entity of ['vendor', 'purchase_order'] as const) {
  const messages = plantRawMessages('c1', entity, 10, 5);
  const env = { topics: { unified: 'u', events: 'e', deadLetters: 'd', state: 's' }, codec, pipeline: { connectorLookup: plantConnectorLookup, mappingFor: () => ({}) } };
  const r: any = await processChunk({ topic: 'raw', partition: 0, entity, table: new StateTable(hashedFields(entity).length), messages }, env);
  console.log(entity, 'raw', messages[0]!.value!.length);
  for (const t of r.topicMessages ?? r.batches ?? []) console.log(' ', t.topic, t.messages.length, t.messages[0] && (t.messages[0].value?.length), t.messages[0] && String(t.messages[0].key).length);
  if (entity === 'purchase_order') { const ev = r.topicMessages?.find((t: any) => t.topic === 'e'); console.log(String(ev.messages[0].value)); }
}
await registry.close();
process.exit(0);
