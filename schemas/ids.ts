import { hash } from 'node:crypto';
import type { ReferenceTarget } from './model/field.js';

/**
 * Millrace's record ids are deterministic: UUID v5 in Millrace's namespace over the JSON text of
 * [connection_id, entity, remote_id]. The same source record always gets the same id, on every
 * worker and after every replay, and mappers compute the ids of referenced records (vendor_id,
 * location_id …) without a lookup. The JSON array keeps the three parts unambiguous whatever
 * characters they contain.
 */
export const MILLRACE_ID_NAMESPACE = '6f1d4bb2-5a4e-4c1b-9d57-2b6f0e8f1c3a';

export function recordId(connectionId: string, entity: ReferenceTarget, remoteId: string): string {
  if (!connectionId) throw new Error('recordId: connectionId is empty');
  if (!remoteId) throw new Error(`recordId: remoteId is empty (entity ${entity}, connection ${connectionId})`);
  return MILLRACE_IDS.id(JSON.stringify([connectionId, entity, remoteId]));
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * RFC 9562 UUID v5 (SHA-1 over the namespace's 16 bytes and the name's UTF-8) in one namespace,
 * parsed once. The `uuid` package parses the namespace text and copies the name through
 * `unescape(encodeURIComponent(…))` on every call; native SHA-1 over the two parts gives the same
 * id in a third of the time, and record ids and event ids are computed for every record.
 */
export class UuidV5Namespace {
  /** The namespace's bytes, then room for the name: one buffer hashed in one native call. */
  private input: Buffer;

  constructor(namespace: string) {
    const hex = namespace.replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${namespace}`);
    this.input = Buffer.alloc(256);
    this.input.write(hex, 0, 'hex');
  }

  id(name: string): string {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (16 + name.length * 3 > this.input.length) this.grow(16 + name.length * 3);
    const end = 16 + this.input.write(name, 16, 'utf8');
    const hash = sha1(this.input.subarray(0, end));
    const b6 = (hash[6]! & 0x0f) | 0x50;
    const b8 = (hash[8]! & 0x3f) | 0x80;
    return (
      HEX[hash[0]!]! + HEX[hash[1]!]! + HEX[hash[2]!]! + HEX[hash[3]!]! + '-' +
      HEX[hash[4]!]! + HEX[hash[5]!]! + '-' + HEX[b6]! + HEX[hash[7]!]! + '-' +
      HEX[b8]! + HEX[hash[9]!]! + '-' +
      HEX[hash[10]!]! + HEX[hash[11]!]! + HEX[hash[12]!]! + HEX[hash[13]!]! + HEX[hash[14]!]! + HEX[hash[15]!]!
    );
  }

  private grow(size: number): void {
    const bigger = Buffer.alloc(size);
    this.input.copy(bigger, 0, 0, 16);
    this.input = bigger;
  }
}

function sha1(bytes: Buffer): Buffer {
  return hash('sha1', bytes, 'buffer') as unknown as Buffer;
}

const MILLRACE_IDS = new UuidV5Namespace(MILLRACE_ID_NAMESPACE);
