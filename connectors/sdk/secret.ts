import { z } from 'zod';

/**
 * Marks a config field as a secret. The runtime encrypts secret fields at rest, and never
 * returns, logs or emits them. `secretKeys(schema)` lists them for an object schema.
 */
export const secretRegistry = z.registry<{ secret: true }>();

export function secret<T extends z.ZodType>(schema: T): T {
  secretRegistry.add(schema, { secret: true });
  return schema;
}

export function isSecret(schema: z.ZodType): boolean {
  let current: z.ZodType = schema;
  // Optional/default wrappers hide the tagged inner schema.
  for (let depth = 0; depth < 5; depth++) {
    if (secretRegistry.has(current)) return true;
    const inner = (current as unknown as { unwrap?: () => z.ZodType }).unwrap;
    if (typeof inner !== 'function') return false;
    current = inner.call(current);
  }
  return false;
}

/** Top-level keys of an object config schema that are secrets. */
export function secretKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => isSecret(field))
    .map(([key]) => key);
}
