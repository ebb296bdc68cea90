import { ApiError } from '../errors.js';

/**
 * Keyset pagination cursors: the sort key of the last record of a page, `(connection_id, id)`,
 * base64url JSON. Opaque to callers; the next page starts strictly after it, so records added or
 * changed while paging never shift a page (no duplicates, no gaps among records that existed).
 */
export interface CursorPosition {
  connectionId: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(entity: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ v: 1, e: entity, c: position.connectionId, i: position.id }), 'utf8').toString('base64url');
}

export function decodeCursor(entity: string, cursor: string): CursorPosition {
  let parsed: { v?: unknown; e?: unknown; c?: unknown; i?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalid('it is not a cursor this API returned');
  }
  if (parsed?.v !== 1 || typeof parsed.c !== 'string' || typeof parsed.i !== 'string' || !UUID.test(parsed.i)) throw invalid('it is not a cursor this API returned');
  if (parsed.e !== entity) throw invalid(`it belongs to a list of ${String(parsed.e)}, not ${entity}`);
  return { connectionId: parsed.c, id: parsed.i };
}

function invalid(why: string): ApiError {
  return new ApiError('cursor_invalid', `The cursor is not valid: ${why}.`, { issues: [{ path: 'query.cursor', message: why }] });
}
