/**
 * Millrace's Confluent-compatible schema registry: the Confluent REST API subset that Avro
 * producers and consumers use, stored in a compacted Kafka topic (see registry-log.ts). Started
 * when SCHEMA_REGISTRY_URL is not set; any number of instances may share one topic.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { createKafka } from '../../platform/kafka.js';
import type { Logger } from '../../platform/logger.js';
import { RegistryError, registryErrors } from './errors.js';
import { RegistryLog } from './registry-log.js';
import { RegistryService } from './registry-service.js';
import { RegistryState } from './registry-state.js';
import { schemaAndConfigRoutes } from './schema-config-routes.js';
import { subjectRoutes } from './subject-routes.js';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface SchemaRegistryOptions {
  /** Either a kafkajs client, or the brokers to create one for. */
  kafka?: Kafka;
  brokers?: string[];
  /** The compacted topic holding the registry: `topicNames(prefix).schemas`. */
  topic: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  logger: Logger;
  replicationFactor?: number;
}

export interface SchemaRegistry {
  url: string;
  close(): Promise<void>;
}

function buildApp(service: RegistryService, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Clients poll the registry; one log line per request would drown everything else.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
  });
  // Clients send application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,
  // application/json, or (curl) nothing useful: every body is JSON.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(registryErrors.badRequest(`Request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-type', REGISTRY_CONTENT_TYPE);
    return payload;
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RegistryError) {
      if (error.status >= 500) request.log.error({ err: error, url: request.url }, 'schema registry request failed');
      return reply.status(error.status).send(error.toBody());
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error, url: request.url }, 'schema registry request failed');
    return reply.status(status).send({ error_code: status >= 500 ? 50001 : status, message: error instanceof Error ? error.message : String(error) });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error_code: 404, message: `HTTP 404 Not Found: ${request.method} ${request.url}` }));
  subjectRoutes(app, service);
  schemaAndConfigRoutes(app, service);
  return app;
}

/** Starts a registry: reads the topic to its end, then listens. `close()` stops both. */
export async function startSchemaRegistry(options: SchemaRegistryOptions): Promise<SchemaRegistry> {
  const logger = options.logger.child({ component: 'schema-registry' });
  const kafka = options.kafka ?? createKafka({ brokers: options.brokers ?? [], clientId: 'millrace-schema-registry', logger });
  if (!options.kafka && !options.brokers?.length) throw new Error('startSchemaRegistry needs `kafka` or `brokers`');
  const state = new RegistryState();
  const log = new RegistryLog({ kafka, topic: options.topic, logger, replicationFactor: options.replicationFactor }, (record) => state.apply(record));
  await log.start();
  const app = buildApp(new RegistryService(state, log), logger);
  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await log.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, topic: options.topic, subjects: state.subjectNames(false).length, maxId: state.maxId() }, 'schema registry listening');
  return {
    url,
    async close() {
      await app.close();
      await log.close();
    },
  };
}
