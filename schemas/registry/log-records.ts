/**
 * Records of the registry's compacted Kafka topic, in the format of Confluent's `_schemas` topic
 * (JSON keys and values), so the topic reads the same to tools that know that format:
 *   SCHEMA  {"keytype":"SCHEMA","subject":s,"version":v,"magic":1} → {"subject","version","id","schema","deleted"}
 *   CONFIG  {"keytype":"CONFIG","subject":s|null,"magic":0}        → {"compatibilityLevel": "BACKWARD"}
 *   NOOP    {"keytype":"NOOP","magic":0}                          → null (a marker: "read up to here")
 * A null value is a tombstone (permanent delete). One record type is Millrace's own:
 *   ID_WATERMARK {"keytype":"ID_WATERMARK","magic":0} → {"max_id": n}: the highest id ever given,
 *   written when a permanent delete could otherwise let compaction forget it, so ids are never reused.
 * Keys are written with a fixed property order: compaction needs byte-identical keys.
 */
export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

export interface SchemaValue {
  subject: string;
  version: number;
  id: number;
  schema: string;
  deleted: boolean;
}

export type LogRecord =
  | { keytype: 'SCHEMA'; subject: string; version: number; value: SchemaValue | null }
  | { keytype: 'CONFIG'; subject: string | null; value: { compatibilityLevel: CompatibilityLevel } | null }
  | { keytype: 'ID_WATERMARK'; value: { max_id: number } }
  | { keytype: 'NOOP' };

export function encodeKey(record: LogRecord): string {
  switch (record.keytype) {
    case 'SCHEMA':
      return JSON.stringify({ keytype: 'SCHEMA', subject: record.subject, version: record.version, magic: 1 });
    case 'CONFIG':
      return JSON.stringify({ keytype: 'CONFIG', subject: record.subject, magic: 0 });
    case 'ID_WATERMARK':
      return JSON.stringify({ keytype: 'ID_WATERMARK', magic: 0 });
    case 'NOOP':
      return JSON.stringify({ keytype: 'NOOP', magic: 0 });
  }
}

export function encodeValue(record: LogRecord): string | null {
  if (record.keytype === 'NOOP' || record.value === null) return null;
  if (record.keytype === 'SCHEMA') {
    const { subject, version, id, schema, deleted } = record.value;
    return JSON.stringify({ subject, version, id, schema, deleted });
  }
  return JSON.stringify(record.value);
}

/**
 * Parses a record read from the topic. Returns null for what this registry does not use
 * (Confluent's MODE, CONTEXT … records, or garbage), which the caller skips with a log line.
 */
export function decodeRecord(key: Buffer | null, value: Buffer | null): LogRecord | null {
  if (!key) return null;
  let parsedKey: { keytype?: string; subject?: string | null; version?: number };
  let parsedValue: Record<string, unknown> | null;
  try {
    parsedKey = JSON.parse(key.toString('utf8'));
    parsedValue = value ? (JSON.parse(value.toString('utf8')) as Record<string, unknown>) : null;
  } catch {
    // A record nobody can read must not stop the registry from reading the ones after it.
    return null;
  }
  switch (parsedKey.keytype) {
    case 'SCHEMA':
      if (typeof parsedKey.subject !== 'string' || typeof parsedKey.version !== 'number') return null;
      if (parsedValue && (typeof parsedValue.id !== 'number' || typeof parsedValue.schema !== 'string')) return null;
      return {
        keytype: 'SCHEMA',
        subject: parsedKey.subject,
        version: parsedKey.version,
        value: parsedValue ? { ...(parsedValue as unknown as SchemaValue), deleted: parsedValue.deleted === true } : null,
      };
    case 'CONFIG':
      return {
        keytype: 'CONFIG',
        subject: parsedKey.subject ?? null,
        value: parsedValue ? { compatibilityLevel: parsedValue.compatibilityLevel as CompatibilityLevel } : null,
      };
    case 'ID_WATERMARK':
      return parsedValue ? { keytype: 'ID_WATERMARK', value: { max_id: Number(parsedValue.max_id) } } : null;
    case 'NOOP':
      return { keytype: 'NOOP' };
    default:
      return null;
  }
}
