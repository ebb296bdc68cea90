import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EntityTypeDef, SandboxRecord } from './model.js';
import { sendODataError } from './sap-errors.js';

/**
 * ETags of entity types that declare a concurrency token, and SAP Gateway's checks on changes to
 * them: the entity carries `__metadata.etag` (and the single-entity GET an `ETag` header), and a
 * PATCH/MERGE must send it back as `If-Match` — 428 Precondition Required without it, 412
 * Precondition Failed when it is not the current one (`*` matches any).
 *
 * Off by default: A_PurchaseOrder in API_PURCHASEORDER_PROCESS_SRV declares no concurrency token
 * (no ConcurrencyMode in its EDMX), and none is documented for MaintenanceOrder. A sandbox started
 * with `concurrencyTokens` stands in for an entity type that has one (SAP KBA 3514624 describes
 * the 428 for such APIs). The token is the change stamp at the sandbox's full precision, so any
 * change makes a new one. Message codes are illustrative.
 */
export type TokenEntitySet = 'A_PurchaseOrder' | 'MaintenanceOrder';

export function etagOf(tokens: ReadonlySet<string>, entityType: EntityTypeDef, record: SandboxRecord): string | null {
  if (!tokens.has(entityType.entitySet)) return null;
  return `W/"'${String(record.LastChangeDateTime ?? 0)}'"`;
}

/** Sends SAP's refusal and returns false when the request's If-Match does not fit `record`; true otherwise. */
export function ifMatchHolds(tokens: ReadonlySet<string>, entityType: EntityTypeDef, record: SandboxRecord, request: FastifyRequest, reply: FastifyReply): boolean {
  const current = etagOf(tokens, entityType, record);
  if (current === null) return true;
  const given = request.headers['if-match'];
  if (given === undefined || given === '') {
    sendODataError(reply, 428, '/IWBEP/CM_MGW_RT/152', `Precondition required: send the ETag of ${entityType.typeName} in the If-Match header`, entityType.service);
    return false;
  }
  if (given !== '*' && given !== current) {
    sendODataError(reply, 412, '/IWBEP/CM_MGW_RT/153', `Precondition failed: ${entityType.typeName} was changed since the ETag in If-Match was read`, entityType.service);
    return false;
  }
  return true;
}
