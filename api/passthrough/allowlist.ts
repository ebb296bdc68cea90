import type { PassthroughRule } from '../../connectors/sdk/types.js';
import { ApiError } from '../errors.js';

/**
 * Passthrough paths are checked against the connector's allowlist after normalization, so an
 * allowed prefix cannot be escaped: `..` and `.` segments, empty segments, backslashes, and
 * percent-encoded slashes, backslashes or dots are refused outright rather than decoded. In a
 * rule, `*` matches one segment and `**` the rest (one segment or more).
 */
export function normalizePassthroughPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '');
  const problem =
    trimmed.length === 0 ? 'is empty'
    : /[?#]/.test(trimmed) ? 'holds a query or fragment (pass query parameters in `query`)'
    : /\\/.test(trimmed) ? 'holds a backslash'
    : /%(2f|5c|2e)/i.test(trimmed) ? 'holds an encoded slash, backslash or dot'
    : /[\x00-\x20\x7f]/.test(trimmed) ? 'holds a space or control character'
    : null;
  if (problem) throw invalidPath(`the path ${problem}`);
  const segments = trimmed.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) throw invalidPath('the path holds an empty, `.` or `..` segment');
  return segments;
}

function segmentsMatch(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') return path.length > 0;
  if (path.length === 0) return false;
  if (head !== '*' && head !== path[0]) return false;
  return segmentsMatch(rest, path.slice(1));
}

/** Whether `method path` is in the allowlist; `path` as normalizePassthroughPath returned it. */
export function isAllowed(rules: readonly PassthroughRule[], method: string, path: string[]): boolean {
  return rules.some((rule) => rule.method === method && segmentsMatch(rule.path.replace(/^\/+/, '').split('/'), path));
}

function invalidPath(why: string): ApiError {
  return new ApiError('request_invalid', `The passthrough path is not usable: ${why}.`, { issues: [{ path: 'body.path', message: why }] });
}
