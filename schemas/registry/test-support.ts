/**
 * Helpers for the registry's own integration tests: a registry on a topic of its own, and a
 * small HTTP helper that returns status, body and content type.
 */
import { createLogger } from '../../platform/logger.js';
import { topicNames } from '../../platform/topics.js';
import { testKafka, uniqueName } from '../../test/support/kafka.js';
import { startSchemaRegistry, type SchemaRegistry } from './server.js';

export function uniqueRegistryTopic(): string {
  return topicNames(`${uniqueName('registry')}.`).schemas;
}

export function startTestRegistry(topic: string): Promise<SchemaRegistry> {
  return startSchemaRegistry({
    kafka: testKafka('millrace-registry-test'),
    topic,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
}

/** Removes a registry topic after its tests, so repeated runs leave the broker tidy. */
export async function deleteTopic(topic: string): Promise<void> {
  const admin = testKafka('millrace-registry-test-cleanup').admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [topic] });
  } finally {
    await admin.disconnect();
  }
}

export interface ApiResponse {
  status: number;
  body: any;
  contentType: string | null;
}

export async function api(baseUrl: string, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text: the test says what it expected.
  }
  return { status: response.status, body: parsed, contentType: response.headers.get('content-type') };
}

/** A small record schema for evolution tests: `fields` are added after the required `id`. */
export function recordSchema(name: string, fields: object[] = []): string {
  return JSON.stringify({ type: 'record', name, namespace: 'io.millrace.test', fields: [{ name: 'id', type: 'string' }, ...fields] });
}
