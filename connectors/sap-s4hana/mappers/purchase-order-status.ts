import type { PurchaseOrderStatus } from '../../../schemas/index.js';

/**
 * SAP purchase order status → the unified status. SAP has no single status field: the header's
 * `PurchasingProcessingStatus` (KBA 3416344) says where the document is in its release workflow,
 * `PurchasingDocumentDeletionCode` flags deletion (L) or blocking (S), and the items'
 * `IsCompletelyDelivered` / `IsFinallyInvoiced` flags say how far receipt and invoicing went.
 *
 * | SAP                                                   | unified              |
 * |-------------------------------------------------------|----------------------|
 * | deletion code L (header)                              | cancelled            |
 * | 01 In process / version in process                    | draft                |
 * | 03 In release, 04 partially released                  | pending_approval     |
 * | 08 Rejected                                           | cancelled            |
 * | 02 Active or 05 Release completed, and items …        |                      |
 * |   … all delivered and all finally invoiced            | closed               |
 * |   … all delivered                                     | received             |
 * |   … some delivered                                    | partially_received   |
 * |   … none delivered (or no active item)                | approved             |
 * | any other code                                        | null (remote_status) |
 *
 * Deleted items (L) are left out of the item checks. `billed` is never derived: SAP's item flags
 * cannot tell "billed but still open for receipt". remote_status is the processing status, with
 * the deletion code after a slash when set (`02`, `02/L`, `05/S`).
 */
export interface StatusItem {
  deleted: boolean;
  delivered: boolean;
  finallyInvoiced: boolean;
}

export function remotePurchaseOrderStatus(processingStatus: string | null, deletionCode: string | null): string | null {
  if (!processingStatus && !deletionCode) return null;
  return deletionCode ? `${processingStatus ?? ''}/${deletionCode}` : processingStatus;
}

export function purchaseOrderStatus(processingStatus: string | null, deletionCode: string | null, items: readonly StatusItem[]): PurchaseOrderStatus | null {
  if (deletionCode === 'L') return 'cancelled';
  switch (processingStatus) {
    case '01':
      return 'draft';
    case '03':
    case '04':
      return 'pending_approval';
    case '08':
      return 'cancelled';
    case '02':
    case '05':
      break;
    default:
      return null;
  }
  const active = items.filter((item) => !item.deleted);
  if (active.length === 0) return 'approved';
  const delivered = active.filter((item) => item.delivered).length;
  if (delivered === active.length) return active.every((item) => item.finallyInvoiced) ? 'closed' : 'received';
  return delivered > 0 ? 'partially_received' : 'approved';
}
