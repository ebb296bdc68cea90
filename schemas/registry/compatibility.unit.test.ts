import { describe, expect, it } from 'vitest';
import { compatibilityProblems, parseAvroSchema } from './compatibility.js';
import { RegistryError } from './errors.js';

const record = (fields: object[]) => parseAvroSchema(JSON.stringify({ type: 'record', name: 'R', namespace: 'n', fields })).type;
const v1 = record([{ name: 'a', type: 'int' }]);
const optionalAdded = record([{ name: 'a', type: 'int' }, { name: 'b', type: ['null', 'string'], default: null }]);
const requiredAdded = record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]);
const removed = record([{ name: 'z', type: ['null', 'string'], default: null }]);
const promoted = record([{ name: 'a', type: 'long' }]);

describe('Avro compatibility levels', () => {
  it('adds optional fields under every level', () => {
    for (const level of ['BACKWARD', 'FORWARD', 'FULL', 'FULL_TRANSITIVE'] as const) {
      expect(compatibilityProblems(level, optionalAdded, [{ version: 1, type: v1 }])).toEqual([]);
    }
  });

  it('refuses a required new field under BACKWARD, a removed one under FORWARD, a promotion one way only', () => {
    expect(compatibilityProblems('BACKWARD', requiredAdded, [{ version: 1, type: v1 }])[0]).toMatch(/cannot read data written with version 1: .*b/);
    expect(compatibilityProblems('FORWARD', requiredAdded, [{ version: 1, type: v1 }])).toEqual([]);
    expect(compatibilityProblems('FORWARD', removed, [{ version: 1, type: v1 }])[0]).toMatch(/version 1 cannot read data written with the new schema/);
    expect(compatibilityProblems('BACKWARD', promoted, [{ version: 1, type: v1 }])).toEqual([]);
    expect(compatibilityProblems('FULL', promoted, [{ version: 1, type: v1 }])).toHaveLength(1);
  });

  it('checks only the latest version unless the level is transitive', () => {
    const history = [
      { version: 1, type: v1 },
      { version: 2, type: record([{ name: 'a', type: 'int' }, { name: 'c', type: 'int', default: 0 }]) },
    ];
    // Drops `a` (which v1 needs) but keeps c's default: fine for the latest, not for v1.
    const candidate = record([{ name: 'c', type: 'int', default: 0 }]);
    expect(compatibilityProblems('FORWARD', candidate, history)).toHaveLength(1);
    expect(compatibilityProblems('FORWARD_TRANSITIVE', candidate, history)).toHaveLength(2);
    expect(compatibilityProblems('NONE', candidate, history)).toEqual([]);
  });

  it('reports an invalid schema as 42201 with the parser\'s message', () => {
    try {
      parseAvroSchema('{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).toBody()).toEqual({ error_code: 42201, message: 'Invalid schema: undefined type name: nope' });
    }
  });
});
