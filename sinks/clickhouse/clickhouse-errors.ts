/**
 * Which ClickHouse errors are about the rows themselves. Those would fail every retry of the
 * same batch, so the writer splits the batch to find the rows at fault and dead-letters them.
 * Every other error (server unreachable, timeout, too many parts, a missing column until the
 * schema is fixed) is retried with the same token until ClickHouse takes the batch.
 */
const ROW_DATA_ERROR = /CANNOT_PARSE|INCORRECT_DATA|TYPE_MISMATCH|CANNOT_CONVERT_TYPE|ARGUMENT_OUT_OF_BOUND|VALUE_IS_OUT_OF_RANGE|DECIMAL_OVERFLOW|CANNOT_INSERT_NULL|CANNOT_READ_ALL_DATA|ATTEMPT_TO_READ_AFTER_EOF|TOO_LARGE_STRING_SIZE|INCORRECT_NUMBER_OF_COLUMNS|CANNOT_PARSE_ESCAPE_SEQUENCE/;

export function isRowDataError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && ROW_DATA_ERROR.test(type);
}

/** One line for logs and dead letters: ClickHouse messages can carry a long excerpt of the data. */
export function clickhouseErrorText(error: unknown, limit = 1_000): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > limit ? `${message.slice(0, limit)}…` : message;
}
