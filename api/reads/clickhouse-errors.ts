import { ApiError } from '../errors.js';

/** ClickHouse's UNKNOWN_TABLE (60): a unified table the ClickHouse sink has not created yet. */
export function isMissingTable(error: unknown): boolean {
  const { code, type, message } = error as { code?: string; type?: string; message?: string };
  return code === '60' || type === 'UNKNOWN_TABLE' || /UNKNOWN_TABLE|Unknown table expression|doesn't exist/.test(message ?? '');
}

/** A ClickHouse failure while serving a read: the caller may retry; the text is logged, not answered. */
export function storeUnavailable(what: string): ApiError {
  return new ApiError('store_unavailable', `ClickHouse failed while ${what}; retry in a moment.`);
}
