/**
 * The registry's state, rebuilt by applying the topic's records in order. Pure: no I/O. Every
 * instance that reads the same topic holds the same state, which is why instances agree on ids.
 */
import type { CompatibilityLevel, LogRecord, SchemaValue } from './log-records.js';

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export type VersionEntry = SchemaValue;

export class RegistryState {
  private readonly subjects = new Map<string, Map<number, VersionEntry>>();
  private readonly schemaTexts = new Map<number, string>();
  private readonly idsBySchema = new Map<string, number>();
  /** How many versions (deleted or not) use each id: an id lives while one does. */
  private readonly uses = new Map<number, number>();
  private highestId = 0;
  private globalLevel: CompatibilityLevel | null = null;
  private readonly subjectLevels = new Map<string, CompatibilityLevel>();

  apply(record: LogRecord): void {
    switch (record.keytype) {
      case 'SCHEMA':
        this.applySchema(record.subject, record.version, record.value);
        return;
      case 'CONFIG':
        if (record.subject === null) this.globalLevel = record.value?.compatibilityLevel ?? null;
        else if (record.value) this.subjectLevels.set(record.subject, record.value.compatibilityLevel);
        else this.subjectLevels.delete(record.subject);
        return;
      case 'ID_WATERMARK':
        this.highestId = Math.max(this.highestId, record.value.max_id);
        return;
      case 'NOOP':
        return;
    }
  }

  private applySchema(subject: string, version: number, value: SchemaValue | null): void {
    const versions = this.subjects.get(subject) ?? new Map<number, VersionEntry>();
    const previous = versions.get(version);
    if (previous) this.release(previous.id);
    if (!value) {
      versions.delete(version);
      if (versions.size === 0) this.subjects.delete(subject);
      else this.subjects.set(subject, versions);
      return;
    }
    versions.set(version, { ...value, subject, version });
    this.subjects.set(subject, versions);
    this.uses.set(value.id, (this.uses.get(value.id) ?? 0) + 1);
    this.schemaTexts.set(value.id, value.schema);
    if (!this.idsBySchema.has(value.schema)) this.idsBySchema.set(value.schema, value.id);
    this.highestId = Math.max(this.highestId, value.id);
  }

  private release(id: number): void {
    const remaining = (this.uses.get(id) ?? 1) - 1;
    if (remaining > 0) {
      this.uses.set(id, remaining);
      return;
    }
    this.uses.delete(id);
    const text = this.schemaTexts.get(id);
    this.schemaTexts.delete(id);
    if (text !== undefined && this.idsBySchema.get(text) === id) this.idsBySchema.delete(text);
  }

  subjectNames(includeDeleted: boolean, prefix = ''): string[] {
    return [...this.subjects.keys()].filter((subject) => subject.startsWith(prefix) && this.hasSubject(subject, includeDeleted)).sort();
  }

  /** Known with at least one version (a live one, unless includeDeleted). */
  hasSubject(subject: string, includeDeleted: boolean): boolean {
    return this.entries(subject, includeDeleted).length > 0;
  }

  /** Versions of a subject, oldest first. */
  entries(subject: string, includeDeleted: boolean): VersionEntry[] {
    const versions = [...(this.subjects.get(subject)?.values() ?? [])];
    return versions.filter((entry) => includeDeleted || !entry.deleted).sort((a, b) => a.version - b.version);
  }

  entry(subject: string, version: number | 'latest', includeDeleted: boolean): VersionEntry | undefined {
    const entries = this.entries(subject, includeDeleted);
    return version === 'latest' ? entries.at(-1) : entries.find((entry) => entry.version === version);
  }

  /** The version of a subject holding exactly this schema text. */
  findSchema(subject: string, schema: string, includeDeleted: boolean): VersionEntry | undefined {
    return this.entries(subject, includeDeleted).find((entry) => entry.schema === schema);
  }

  schemaText(id: number): string | undefined {
    return this.schemaTexts.get(id);
  }

  idOf(schema: string): number | undefined {
    return this.idsBySchema.get(schema);
  }

  usesOf(id: number, includeDeleted: boolean): { subject: string; version: number }[] {
    const found: { subject: string; version: number }[] = [];
    for (const subject of [...this.subjects.keys()].sort()) {
      for (const entry of this.entries(subject, includeDeleted)) {
        if (entry.id === id) found.push({ subject, version: entry.version });
      }
    }
    return found;
  }

  /** The highest id ever given (ids are never reused, even after a permanent delete). */
  maxId(): number {
    return this.highestId;
  }

  /** Versions keep counting after soft deletes; only a permanent delete of all frees the numbers. */
  nextVersion(subject: string): number {
    return (this.entries(subject, true).at(-1)?.version ?? 0) + 1;
  }

  globalCompatibility(): CompatibilityLevel {
    return this.globalLevel ?? DEFAULT_COMPATIBILITY;
  }

  subjectCompatibility(subject: string): CompatibilityLevel | undefined {
    return this.subjectLevels.get(subject);
  }

  effectiveCompatibility(subject: string): CompatibilityLevel {
    return this.subjectLevels.get(subject) ?? this.globalCompatibility();
  }
}
