/**
 * A numbered schema change. Every statement is idempotent (IF NOT EXISTS), so a migration cut
 * short by a crash is simply run again, and two sinks starting at once on one server do no harm.
 * `schema_migrations` records which versions ran; a version is never edited once released.
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}
