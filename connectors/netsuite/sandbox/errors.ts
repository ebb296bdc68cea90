import type { FastifyReply } from 'fastify';

/**
 * NetSuite REST web services error bodies, as the service sends them:
 * `{type, title, status, o:errorDetails:[{detail, o:errorCode, o:errorPath?, o:errorQueryParam?, …}]}`
 * (docs: "Error Handling in REST Web Services", section_156570709583). The `type` is the RFC 2616
 * section of the status; 429 has no RFC 2616 section, so it points at RFC 6585 (a choice: the
 * docs show no 429 body).
 */
export interface NetSuiteErrorDetail {
  detail: string;
  'o:errorCode': string;
  'o:errorPath'?: string;
  'o:errorQueryParam'?: string;
  'o:errorHeader'?: string;
  'o:errorUrl'?: string;
}

export interface NetSuiteErrorBody {
  type: string;
  title: string;
  status: number;
  'o:errorDetails': NetSuiteErrorDetail[];
}

const TYPES: Record<number, { section: string; title: string }> = {
  400: { section: 'sec10.4.1', title: 'Bad Request' },
  401: { section: 'sec10.4.2', title: 'Unauthorized' },
  403: { section: 'sec10.4.4', title: 'Forbidden' },
  404: { section: 'sec10.4.5', title: 'Not Found' },
  405: { section: 'sec10.4.6', title: 'Method Not Allowed' },
  409: { section: 'sec10.4.10', title: 'Conflict' },
  500: { section: 'sec10.5.1', title: 'Internal Server Error' },
  503: { section: 'sec10.5.4', title: 'Service Unavailable' },
};

export function errorBody(status: number, details: NetSuiteErrorDetail[], title?: string): NetSuiteErrorBody {
  if (status === 429) {
    return { type: 'https://tools.ietf.org/html/rfc6585#section-4', title: title ?? 'Too Many Requests', status, 'o:errorDetails': details };
  }
  const known = TYPES[status] ?? TYPES[500]!;
  return {
    type: `https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#${known.section}`,
    title: title ?? known.title,
    status,
    'o:errorDetails': details,
  };
}

export function sendError(reply: FastifyReply, status: number, details: NetSuiteErrorDetail[], title?: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/vnd.oracle.resource+json; type=error').send(JSON.stringify(errorBody(status, details, title)));
}

/** The body NetSuite sends for every rejected login (bad signature, stale timestamp, revoked token …). */
export const INVALID_LOGIN: NetSuiteErrorDetail = {
  detail:
    'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
  'o:errorCode': 'INVALID_LOGIN',
};

/** Concurrency governance: the docs name no REST error code, so the sandbox uses this one (documented in the README). */
export const CONCURRENCY_LIMIT_EXCEEDED: NetSuiteErrorDetail = {
  detail: 'Concurrent request limit exceeded. Request blocked.',
  'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED',
};

export function nonexistentId(): NetSuiteErrorDetail {
  return { detail: 'The record instance does not exist. Provide a valid record instance ID.', 'o:errorCode': 'NONEXISTENT_ID' };
}

export function invalidParameter(detail: string, queryParam?: string): NetSuiteErrorDetail {
  return { detail, 'o:errorCode': 'INVALID_PARAMETER', ...(queryParam ? { 'o:errorQueryParam': queryParam } : {}) };
}

export function userError(detail: string, path?: string): NetSuiteErrorDetail {
  return { detail: `Error while accessing a resource. ${detail}`, 'o:errorCode': 'USER_ERROR', ...(path ? { 'o:errorPath': path } : {}) };
}

export function invalidContent(detail: string, path?: string): NetSuiteErrorDetail {
  return { detail, 'o:errorCode': 'INVALID_CONTENT', ...(path ? { 'o:errorPath': path } : {}) };
}
