import { ConnectorError } from './errors.js';

/**
 * The last net before an error leaves the HTTP client: the message, the source's words, field
 * errors and details pass through `scrub` (which replaces the connection's secret values). An
 * error that needs no change is returned as is.
 */
export function sanitizeError(error: ConnectorError, scrub: (text: string) => string): ConnectorError {
  const message = scrub(error.message);
  const sourceMessage = error.sourceMessage === undefined ? undefined : scrub(error.sourceMessage);
  const sourceCode = error.sourceCode === undefined ? undefined : scrub(error.sourceCode);
  const fieldErrors = error.fieldErrors?.map((field) => ({
    path: scrub(field.path),
    message: scrub(field.message),
    ...(field.code !== undefined ? { code: scrub(field.code) } : {}),
  }));
  const details = error.details === undefined ? undefined : (JSON.parse(scrub(JSON.stringify(error.details))) as Record<string, unknown>);
  const unchanged =
    message === error.message &&
    sourceMessage === error.sourceMessage &&
    sourceCode === error.sourceCode &&
    JSON.stringify(fieldErrors) === JSON.stringify(error.fieldErrors) &&
    JSON.stringify(details) === JSON.stringify(error.details);
  if (unchanged) return error;
  return new ConnectorError(error.kind, message, {
    status: error.status,
    retryAfterSeconds: error.retryAfterSeconds,
    sourceCode,
    sourceMessage,
    fieldErrors,
    details,
    retriable: error.retriable,
    // The original cause may quote the secret; a scrubbed error drops it rather than carry it.
  });
}
