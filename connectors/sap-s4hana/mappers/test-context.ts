import { readFileSync } from 'node:fs';
import { recordId } from '../../../schemas/index.js';
import type { MapContext } from '../../sdk/types.js';

/** The MapContext the transformer hands mappers, for one test connection. */
export const TEST_CONNECTION = 'conn-sap-test';

export const testMapContext: MapContext = {
  connectionId: TEST_CONNECTION,
  sourceSystem: 'sap_s4hana',
  idFor: (entity, remoteId) => recordId(TEST_CONNECTION, entity, remoteId),
};

/** A fixture's entity (`d` of SAP's single-entity envelope), as a fresh copy a test may change. */
export function fixture(name: string): Record<string, any> {
  const text = readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8');
  return (JSON.parse(text) as { d: Record<string, any> }).d;
}
