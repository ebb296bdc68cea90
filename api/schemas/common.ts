import { z } from 'zod';
import { API_ERRORS, type ApiErrorCode } from '../errors.js';

/**
 * zod schemas shared by many routes: the error body every 4xx/5xx answers, ids in paths,
 * boolean query flags. Route files declare their own request and response schemas.
 */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]]).describe('Stable error code; see docs/api-errors.md.'),
      message: z.string().describe('What was wrong, and where.'),
      fix: z.string().describe('How to fix it.'),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional().describe('Each field that was wrong: `body.lines.0.quantity`, `query.limit` …'),
      details: z.record(z.string(), z.unknown()).optional(),
      request_id: z.string().describe('Quote it when reporting a problem.'),
    }),
  })
  .describe('Every error answer.');

/** The error answers a route may give, for its `response` schema. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorBodySchema> {
  return Object.fromEntries([400, 401, 403, 429, 500, ...statuses].map((status) => [status, errorBodySchema]));
}

/** `?flag=true` / `false` (also 1/0); absent: the default. */
export function queryFlag(description: string) {
  return z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .optional()
    .describe(description);
}

export const connectionIdParams = z.strictObject({ id: z.string().min(1).max(200).describe('The connection id.') });

export const uuidParams = z.strictObject({ id: z.uuid('must be a Millrace record id (a UUID)').describe('The Millrace record id.') });
