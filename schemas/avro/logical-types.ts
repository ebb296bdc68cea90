/**
 * How Avro values appear in JavaScript: exactly as the model's records hold them, so a decoded
 * record equals the record that was encoded. decimal ↔ canonical decimal string,
 * timestamp-millis ↔ ISO UTC string, date ↔ `YYYY-MM-DD`, long ↔ string of digits (exact beyond
 * 2^53). Parse Avro schemas through `parseAvroType` to get these conversions.
 */
import avro from 'avsc';
import { DECIMAL_PATTERN, formatSafeUnscaled, formatUnscaled } from '../values/decimal.js';
import { dateToDays, daysToDate, millisToTimestamp, timestampToMillis } from '../values/time.js';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function asBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return undefined;
}

/** 64-bit longs as strings of digits (numbers and bigints are accepted when writing). */
const LongAsString = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE().toString(),
  toBuffer: (value: unknown) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(asBigInt(value)!);
    return buffer;
  },
  fromJSON: (value: unknown) => String(value),
  toJSON: (value: string) => value,
  isValid: (value: unknown) => {
    const big = asBigInt(value);
    return big !== undefined && big >= LONG_MIN && big <= LONG_MAX;
  },
  compare: (a: string, b: string) => {
    const left = BigInt(a);
    const right = BigInt(b);
    return left === right ? 0 : left < right ? -1 : 1;
  },
});

/** Same logical type on the writer side: its reader already converted; pass the value through. */
function sameLogical(type: avro.Type, name: string): boolean {
  return avro.Type.isType(type, `logical:${name}`);
}

/**
 * A logical type whose conversion of the last value is remembered. Writing a nullable field
 * (`["null", decimal]`) converts each value twice: avsc picks the union branch by asking the
 * logical type whether it can convert the value (its `_check` converts), then converts it again
 * to write it. The conversions are pure, so the second one is the first one's answer; this cut
 * the Avro encoding of a purchase order by about a quarter.
 */
abstract class RememberingLogicalType extends avro.types.LogicalType {
  private lastValue: unknown = undefined;
  private lastConverted: unknown = undefined;

  protected abstract convert(value: unknown): unknown;

  override _toValue(value: unknown): unknown {
    if (value === this.lastValue && value !== undefined) return this.lastConverted;
    const converted = this.convert(value);
    this.lastValue = value;
    this.lastConverted = converted;
    return converted;
  }
}

class DecimalType extends RememberingLogicalType {
  private readonly scale: number;
  constructor(schema: { scale?: number; precision: number }, options?: avro.ForSchemaOptions) {
    super(schema as unknown as avro.Schema, options);
    this.scale = schema.scale ?? 0;
  }
  // Hot path of every reader (the sinks): values up to 6 bytes (±1.4 × 10^14 unscaled, ±140,737
  // at scale 9) are safe integers and skip the BigInt and its hex text.
  override _fromValue(value: Buffer): string {
    if (value.length === 0) return '0';
    if (value.length <= 6) return formatSafeUnscaled(value.readIntBE(0, value.length), this.scale);
    let unscaled = BigInt(`0x${value.toString('hex')}`);
    if (value[0]! & 0x80) unscaled -= 1n << BigInt(value.length * 8);
    return formatUnscaled(unscaled, this.scale);
  }
  // Hot path (every decimal of every record): plain string work; a BigInt only beyond 15 digits.
  protected convert(value: unknown): Buffer | undefined {
    if (typeof value !== 'string' || !DECIMAL_PATTERN.test(value)) return undefined;
    const point = value.indexOf('.');
    const fraction = point < 0 ? '' : value.slice(point + 1).replace(/0+$/, '');
    if (fraction.length > this.scale) return undefined;
    const whole = point < 0 ? value : value.slice(0, point);
    const negative = whole.charCodeAt(0) === 45; /* - */
    const digits = `${whole.replace(/^[+-]/, '')}${fraction.padEnd(this.scale, '0')}`;
    // Up to 15 digits the unscaled value is below 2^53: exact as a number.
    if (digits.length <= 15) return safeTwosComplement(negative ? -Number(digits) : Number(digits));
    return twosComplement(BigInt(`${negative ? '-' : ''}${digits}`));
  }
  override _resolve(type: avro.Type) {
    if (sameLogical(type, 'decimal') && (type as unknown as DecimalType).scale === this.scale) return (value: string) => value;
    if (avro.Type.isType(type, 'bytes')) return (value: Buffer) => this._fromValue(value);
    return undefined;
  }
}

/** Minimal big-endian two's complement bytes of a bigint (the Avro decimal encoding). */
export function twosComplement(value: bigint): Buffer {
  if (value >= 0n) {
    let hex = value.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    // A set top bit would read as negative: prefix a zero byte.
    if (Number.parseInt(hex[0]!, 16) >= 8) hex = `00${hex}`;
    return Buffer.from(hex, 'hex');
  }
  const bytes = Math.ceil(((-value - 1n).toString(2).length + 1) / 8);
  return Buffer.from(((1n << BigInt(bytes * 8)) + value).toString(16).padStart(bytes * 2, '0'), 'hex');
}

/**
 * twosComplement for a safe integer, without BigInt: the fewest bytes n with
 * -2^(8n-1) <= value < 2^(8n-1); a negative value is written as the complement of |value| - 1.
 */
export function safeTwosComplement(value: number): Buffer {
  let bytes = 1;
  for (let limit = 128; value >= limit || value < -limit; limit *= 256) bytes += 1;
  const out = Buffer.allocUnsafe(bytes);
  const negative = value < 0;
  let rest = negative ? -value - 1 : value;
  for (let i = bytes - 1; i >= 0; i--) {
    const byte = rest % 256;
    out[i] = negative ? 255 - byte : byte;
    rest = Math.floor(rest / 256);
  }
  return out;
}

class TimestampMillisType extends RememberingLogicalType {
  override _fromValue(value: number | string): string {
    return millisToTimestamp(Number(value));
  }
  protected convert(value: unknown): number | undefined {
    if (typeof value !== 'string') return undefined;
    const ms = timestampToMillis(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  override _resolve(type: avro.Type) {
    if (sameLogical(type, 'timestamp-millis')) return (value: string) => value;
    if (avro.Type.isType(type, 'long')) return (value: number | string) => this._fromValue(value);
    return undefined;
  }
}

class DateType extends RememberingLogicalType {
  override _fromValue(value: number): string {
    return daysToDate(value);
  }
  protected convert(value: unknown): number | undefined {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    return dateToDays(value);
  }
  override _resolve(type: avro.Type) {
    if (sameLogical(type, 'date')) return (value: string) => value;
    if (avro.Type.isType(type, 'int')) return (value: number) => this._fromValue(value);
    return undefined;
  }
}

const OPTIONS: Partial<avro.ForSchemaOptions> = {
  logicalTypes: {
    decimal: DecimalType as unknown as new (schema: avro.Schema, opts?: avro.ForSchemaOptions) => avro.types.LogicalType,
    'timestamp-millis': TimestampMillisType as unknown as new (schema: avro.Schema, opts?: avro.ForSchemaOptions) => avro.types.LogicalType,
    date: DateType as unknown as new (schema: avro.Schema, opts?: avro.ForSchemaOptions) => avro.types.LogicalType,
  },
  // Maps and records come back as plain objects; records keep no generated class.
  omitRecordMethods: true,
};

/** An avsc Type for a schema, with Millrace's JavaScript representations of logical types. */
export function parseAvroType(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { ...OPTIONS, registry: { long: LongAsString } } as avro.ForSchemaOptions);
}
