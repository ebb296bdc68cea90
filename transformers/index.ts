// Public surface of the transformer stage.
export { TransformerWorker, type TransformerWorkerOptions } from './worker.js';
export { TransformerMetrics, type ConnectionCounts } from './transformer-metrics.js';
export { TransformerError, TRANSFORMER_ERRORS, type TransformerErrorCode } from './errors.js';
export { connectionMappingSchema, mappableFields, type ConnectionMapping, type EntityMapping } from './field-mapping-config.js';
export { applyFieldMappings } from './apply-field-mappings.js';
export { DLQ_HEADERS, type DeadLetterStage } from './dead-letter.js';
export type { DeadLetterAlertData } from './dead-letter-alerts.js';
export { UNIFIED_HEADERS } from './chunk-processor.js';
export { recordLink } from './record-events.js';
export { ensureTransformerTopics, type TransformerTopics } from './transformer-topics.js';
