import { customFieldValue, toDecimal } from '../../../schemas/index.js';
import { MappingError } from '../../sdk/errors.js';
import { ODataValueError, parseSapDate, parseSapDuration } from '../odata/values.js';

/**
 * Reads fields of a raw SAP record for a mapper, turning SAP's JSON into unified values and any
 * malformed value into a MappingError naming the raw field path
 * (`to_PurchaseOrderItem.results[2].OrderQuantity`): blank strings → null, `/Date(ms)/` → a date
 * or UTC timestamp, decimal strings → canonical decimals, `PT…` → seconds.
 */
export class RawReader {
  constructor(
    readonly record: Record<string, unknown>,
    readonly path = '',
  ) {}

  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }

  private fail(field: string, message: string): never {
    throw new MappingError(this.at(field), message);
  }

  /** A string field; blank ('') and absent → null. */
  text(field: string): string | null {
    const value = this.record[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') this.fail(field, `expected a string, got ${typeof value}`);
    return value.trim() === '' ? null : value;
  }

  requiredText(field: string): string {
    const value = this.text(field);
    if (value === null) this.fail(field, 'is missing or blank; SAP always sends it');
    return value;
  }

  flag(field: string): boolean {
    const value = this.record[field];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') this.fail(field, `expected true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  decimal(field: string): string | null {
    const value = this.record[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' && typeof value !== 'number') this.fail(field, `expected a decimal string, got ${typeof value}`);
    try {
      return toDecimal(value);
    } catch {
      return this.fail(field, `"${String(value).slice(0, 40)}" is not a decimal number`);
    }
  }

  /** Epoch ms of a `/Date(ms)/` or `/Date(ms+0000)/` field, or null. */
  millis(field: string): number | null {
    const value = this.record[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') this.fail(field, `expected an OData date string, got ${typeof value}`);
    try {
      return parseSapDate(value);
    } catch (error) {
      return this.fail(field, (error as ODataValueError).message);
    }
  }

  /** An Edm.DateTime date field → `YYYY-MM-DD`. */
  date(field: string): string | null {
    const ms = this.millis(field);
    return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
  }

  /** A time stamp field → ISO 8601 UTC with milliseconds. */
  timestamp(field: string): string | null {
    const ms = this.millis(field);
    return ms === null ? null : new Date(ms).toISOString();
  }

  /** Seconds after midnight of an Edm.Time field. */
  seconds(field: string): number | null {
    const value = this.record[field];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string') this.fail(field, `expected an OData time (PT…), got ${typeof value}`);
    try {
      return parseSapDuration(value);
    } catch (error) {
      return this.fail(field, (error as ODataValueError).message);
    }
  }

  /** A date field plus a time field (SAP keeps them apart) → ISO 8601 UTC; null when the date is. */
  dateAndTime(dateField: string, timeField: string): string | null {
    const ms = this.millis(dateField);
    if (ms === null) return null;
    return new Date(ms + (this.seconds(timeField) ?? 0) * 1000).toISOString();
  }

  /** The records of an expanded to-many navigation (`{"results": [...]}`), each with its path. */
  children(navigation: string): RawReader[] {
    const value = this.record[navigation];
    if (value === undefined || value === null) return [];
    const results = (value as { results?: unknown }).results;
    if ((value as { __deferred?: unknown }).__deferred !== undefined) return [];
    if (!Array.isArray(results)) this.fail(navigation, 'expected an expanded navigation {"results": [...]}');
    return results.map((child, index) => {
      if (!child || typeof child !== 'object') this.fail(`${navigation}.results[${index}]`, 'is not an entity');
      return new RawReader(child as Record<string, unknown>, this.at(`${navigation}.results[${index}]`));
    });
  }

  /** Custom fields: SAP Cloud's `YY1_*` and on-premise `ZZ1_*` extension fields. */
  customFields(): Record<string, string> {
    const picked: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.record)) {
      if (/^(YY1|ZZ1)_/.test(name)) picked[name] = customFieldValue(value);
    }
    return picked;
  }
}

/** `YYYY-MM-DD` → midnight UTC as an ISO timestamp (for creation dates used as remote_created_at). */
export function dateAsTimestamp(date: string | null): string | null {
  return date === null ? null : `${date}T00:00:00.000Z`;
}
