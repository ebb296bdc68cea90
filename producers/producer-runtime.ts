import type { Kafka } from 'kafkajs';
import type { ConnectorDefinition } from '../connectors/sdk/types.js';
import type { MillraceConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { ConnectionService } from './connection-service.js';
import { loadKeyRing } from './master-keys.js';
import { ProducerWorker } from './worker.js';

export interface ProducerRuntime {
  /** The API-facing connection service (create, update, sync now, sync runs …). */
  service: ConnectionService;
  /** This process's producer worker; null when started with `worker: false`. */
  worker: ProducerWorker | null;
  stop(): Promise<void>;
}

export interface ProducerRuntimeOptions {
  kafka: Kafka;
  logger: Logger;
  connectorLookup?: (id: string) => ConnectorDefinition | undefined;
  /** Run a worker in this process (default); an API-only process passes false. */
  worker?: boolean;
}

/**
 * Starts the producer side from the configuration: the master key ring (failing at start
 * without MILLRACE_MASTER_KEY outside demo mode), the connection service and a worker that
 * joins the `<prefix>producers` group with MILLRACE_WORKER_ID.
 */
export async function startProducerRuntime(config: MillraceConfig, options: ProducerRuntimeOptions): Promise<ProducerRuntime> {
  const common = {
    kafka: options.kafka,
    prefix: config.MILLRACE_TOPIC_PREFIX,
    partitions: config.MILLRACE_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    keyRing: loadKeyRing(config, options.logger),
    ...(options.connectorLookup ? { connectorLookup: options.connectorLookup } : {}),
  };
  const service = new ConnectionService({ ...common, logger: options.logger.child({ component: 'connections' }) });
  await service.start();
  let worker: ProducerWorker | null = null;
  if (options.worker !== false) {
    worker = new ProducerWorker({
      ...common,
      logger: options.logger.child({ component: 'producer' }),
      workerId: config.MILLRACE_WORKER_ID,
      settings: { offlineAfterFailures: config.MILLRACE_OFFLINE_AFTER_FAILURES },
    });
    await worker.start();
  }
  return {
    service,
    worker,
    async stop() {
      await worker?.stop();
      await service.stop();
    },
  };
}
