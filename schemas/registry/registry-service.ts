/**
 * What the registry does, independent of HTTP: Confluent's semantics for registering, looking up,
 * deleting and checking schemas, on the state rebuilt from the log. Reads answer from the local
 * state; a read that finds nothing first catches up with the topic and looks again, so an id
 * registered through another instance a moment ago is found here too.
 */
import type avro from 'avsc';
import { compatibilityProblems, parseAvroSchema } from './compatibility.js';
import { RegistryError, registryErrors } from './errors.js';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel, type LogRecord } from './log-records.js';
import type { RegistryLog } from './registry-log.js';
import type { RegistryState, VersionEntry } from './registry-state.js';

export interface SchemaRequest {
  schema?: unknown;
  schemaType?: unknown;
  references?: unknown;
}

export type VersionRef = number | 'latest';

const MAX_VERSION = 2 ** 31 - 1;

export function parseVersion(text: string): VersionRef {
  if (text === 'latest' || text === '-1') return 'latest';
  if (!/^\d+$/.test(text)) throw registryErrors.invalidVersion(text);
  const version = Number(text);
  if (version < 1 || version > MAX_VERSION) throw registryErrors.invalidVersion(text);
  return version;
}

export function parseLevel(value: unknown): CompatibilityLevel {
  const level = typeof value === 'string' ? value.toUpperCase() : value;
  if (!COMPATIBILITY_LEVELS.includes(level as CompatibilityLevel)) throw registryErrors.invalidCompatibilityLevel(value);
  return level as CompatibilityLevel;
}

function schemaOf(request: SchemaRequest) {
  if (request.schemaType !== undefined && request.schemaType !== null && request.schemaType !== 'AVRO') {
    throw registryErrors.invalidSchema(`schema type ${JSON.stringify(request.schemaType)} is not supported: this registry holds AVRO schemas only`);
  }
  if (Array.isArray(request.references) && request.references.length > 0) {
    throw registryErrors.invalidSchema('schema references are not supported by this registry; inline the referenced types');
  }
  return parseAvroSchema(request.schema);
}

export class RegistryService {
  private readonly types = new Map<number, avro.Type>();

  constructor(
    readonly state: RegistryState,
    private readonly log: RegistryLog,
  ) {}

  /** Answers from the local state; on a 404, catches up with the topic once and answers again. */
  async fresh<T>(read: () => T): Promise<T> {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof RegistryError) || error.status !== 404) throw error;
      await this.log.catchUp();
      return read();
    }
  }

  private typeOf(entry: VersionEntry): avro.Type {
    let type = this.types.get(entry.id);
    if (!type) {
      type = parseAvroSchema(entry.schema).type;
      this.types.set(entry.id, type);
    }
    return type;
  }

  entryOf(subject: string, version: VersionRef, includeDeleted: boolean): VersionEntry {
    if (!this.state.hasSubject(subject, includeDeleted)) throw registryErrors.subjectNotFound(subject);
    const entry = this.state.entry(subject, version, includeDeleted);
    if (!entry) throw registryErrors.versionNotFound(version);
    return entry;
  }

  async register(subject: string, request: SchemaRequest): Promise<{ id: number }> {
    const parsed = schemaOf(request);
    const known = this.state.findSchema(subject, parsed.canonical, false);
    if (known) return { id: known.id };
    return this.log.write(() => {
      const existing = this.state.findSchema(subject, parsed.canonical, false);
      if (existing) return { records: [], result: { id: existing.id } };
      const level = this.state.effectiveCompatibility(subject);
      const live = this.state.entries(subject, false).map((entry) => ({ version: entry.version, type: this.typeOf(entry) }));
      const problems = compatibilityProblems(level, parsed.type, live);
      if (problems.length > 0) throw registryErrors.incompatible(subject, problems);
      const id = this.state.idOf(parsed.canonical) ?? this.state.maxId() + 1;
      const version = this.state.nextVersion(subject);
      const record: LogRecord = { keytype: 'SCHEMA', subject, version, value: { subject, version, id, schema: parsed.canonical, deleted: false } };
      return { records: [record], result: { id } };
    });
  }

  lookup(subject: string, request: SchemaRequest, includeDeleted: boolean): Promise<VersionEntry> {
    const parsed = schemaOf(request);
    return this.fresh(() => {
      if (!this.state.hasSubject(subject, includeDeleted)) throw registryErrors.subjectNotFound(subject);
      const entry = this.state.findSchema(subject, parsed.canonical, includeDeleted);
      if (!entry) throw registryErrors.schemaNotFound();
      return entry;
    });
  }

  async checkCompatibility(subject: string, version: VersionRef | 'all', request: SchemaRequest): Promise<{ is_compatible: boolean; messages: string[] }> {
    const parsed = schemaOf(request);
    return this.fresh(() => {
      if (!this.state.hasSubject(subject, true)) throw registryErrors.subjectNotFound(subject);
      const level = this.state.effectiveCompatibility(subject);
      let against: VersionEntry[];
      if (version === 'latest' || version === 'all') {
        against = this.state.entries(subject, false);
      } else {
        const entry = this.state.entry(subject, version, false);
        if (!entry) throw registryErrors.versionNotFound(version);
        // A named version is checked on its own, in the level's direction(s).
        against = [entry];
      }
      const scoped: CompatibilityLevel = version === 'all' && !level.endsWith('_TRANSITIVE') && level !== 'NONE' ? (`${level}_TRANSITIVE` as CompatibilityLevel) : level;
      const messages = compatibilityProblems(scoped, parsed.type, against.map((entry) => ({ version: entry.version, type: this.typeOf(entry) })));
      return { is_compatible: messages.length === 0, messages };
    });
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.log.write(() => {
      if (!this.state.hasSubject(subject, true)) throw registryErrors.subjectNotFound(subject);
      const live = this.state.entries(subject, false);
      if (!permanent) {
        if (live.length === 0) throw registryErrors.subjectSoftDeleted(subject);
        const records: LogRecord[] = live.map((entry) => ({ keytype: 'SCHEMA', subject, version: entry.version, value: { ...entry, deleted: true } }));
        return { records, result: live.map((entry) => entry.version) };
      }
      if (live.length > 0) throw registryErrors.subjectNotSoftDeleted(subject);
      const all = this.state.entries(subject, true);
      const records: LogRecord[] = [
        // Written first: compaction may drop the tombstoned versions, never the highest id given.
        { keytype: 'ID_WATERMARK', value: { max_id: this.state.maxId() } },
        ...all.map((entry): LogRecord => ({ keytype: 'SCHEMA', subject, version: entry.version, value: null })),
      ];
      if (this.state.subjectCompatibility(subject)) records.push({ keytype: 'CONFIG', subject, value: null });
      return { records, result: all.map((entry) => entry.version) };
    });
  }

  deleteVersion(subject: string, version: VersionRef, permanent: boolean): Promise<number> {
    return this.log.write(() => {
      if (!this.state.hasSubject(subject, true)) throw registryErrors.subjectNotFound(subject);
      const entry = this.state.entry(subject, version, permanent);
      if (!entry) throw registryErrors.versionNotFound(version);
      if (!permanent) {
        if (entry.deleted) throw registryErrors.versionSoftDeleted(subject, entry.version);
        return { records: [{ keytype: 'SCHEMA', subject, version: entry.version, value: { ...entry, deleted: true } }], result: entry.version };
      }
      if (!entry.deleted) throw registryErrors.versionNotSoftDeleted(subject, entry.version);
      return {
        records: [
          { keytype: 'ID_WATERMARK', value: { max_id: this.state.maxId() } },
          { keytype: 'SCHEMA', subject, version: entry.version, value: null },
        ],
        result: entry.version,
      };
    });
  }

  setCompatibility(subject: string | null, value: unknown): Promise<CompatibilityLevel> {
    const level = parseLevel(value);
    return this.log.write(() => ({ records: [{ keytype: 'CONFIG', subject, value: { compatibilityLevel: level } }], result: level }));
  }

  /** Removes a subject's own level (or resets the global one); returns the level it had. */
  deleteCompatibility(subject: string | null): Promise<CompatibilityLevel> {
    return this.log.write(() => {
      const previous = subject === null ? this.state.globalCompatibility() : this.state.subjectCompatibility(subject);
      if (!previous) throw registryErrors.subjectConfigNotFound(subject!);
      return { records: [{ keytype: 'CONFIG', subject, value: null }], result: previous };
    });
  }
}
