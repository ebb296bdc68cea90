import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/**
 * Business Central's error body: `{"error":{"code":"<Category_Reason>","message":"…  CorrelationId:  <guid>."}}`
 * (two spaces before and after `CorrelationId:`, as the service writes it).
 */
export function bcErrorBody(code: string, message: string): string {
  const text = message.endsWith('.') ? message : `${message}.`;
  return JSON.stringify({ error: { code, message: `${text}  CorrelationId:  ${randomUUID()}.` } });
}

export function sendBcError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(bcErrorBody(code, message));
}

/** A request the service refuses, thrown from handlers and turned into the error body. */
export class BcHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const CONCURRENCY_TOKEN_MESSAGE = 'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.';
export const ENTITY_CHANGED_MESSAGE = 'Another user has already changed the record.';
export const INVALID_CREDENTIALS_MESSAGE = 'The server has rejected the client credentials.';
