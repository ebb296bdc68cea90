import { inject } from 'vitest';

/** The schema registry of this test run: SCHEMA_REGISTRY_URL, or the one global-setup started. */
export function testRegistryUrl(): string {
  return process.env.SCHEMA_REGISTRY_URL ?? inject('schemaRegistryUrl');
}
