import type { EdmType, EdmValue } from './edm.js';

/**
 * The slice of an OData V2 $metadata the sandbox needs: an entity type's properties with their
 * Edm types, its key, which properties SAP marks `sap:creatable="false" sap:updatable="false"`,
 * and its navigation properties. Records are plain objects holding internal values (edm.ts) and,
 * under each navigation name, the child records (an array for to-many, an object for to-one).
 */
export interface EntityTypeDef {
  service: string;
  typeName: string;
  entitySet: string;
  keys: readonly string[];
  properties: Readonly<Record<string, EdmType>>;
  readOnly: ReadonlySet<string>;
  navigations: Readonly<Record<string, NavigationDef>>;
}

export interface NavigationDef {
  target: () => EntityTypeDef;
  many: boolean;
}

export interface SandboxRecord {
  [property: string]: EdmValue | SandboxRecord[] | SandboxRecord | undefined;
}

/** Builds a property map: `fields('String', 'A B C')` → {A: 'String', B: 'String', C: 'String'}. */
export function fields(type: EdmType, names: string): Record<string, EdmType> {
  return Object.fromEntries(names.trim().split(/\s+/).map((name) => [name, type]));
}

export function defineEntityType(def: Omit<EntityTypeDef, 'readOnly'> & { readOnly?: string }): EntityTypeDef {
  const readOnly = new Set(def.readOnly ? def.readOnly.trim().split(/\s+/) : []);
  for (const key of [...def.keys, ...readOnly]) {
    if (!(key in def.properties)) throw new Error(`${def.typeName}: ${key} is not a property`);
  }
  return { ...def, readOnly };
}

export function children(record: SandboxRecord, navigation: string): SandboxRecord[] {
  const value = record[navigation];
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') return [value as SandboxRecord];
  return [];
}
