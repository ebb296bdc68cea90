/**
 * Canonical value sets. Each source's native value is mapped onto one of these by its connector;
 * the native value itself stays beside it (`remote_status`, `remote_priority`, `remote_type`).
 * Each value carries its meaning, which the reference docs print.
 */
export interface EnumValue {
  value: string;
  doc: string;
}

export interface EnumDef {
  /** PascalCase name, used for TypeScript types and the docs. */
  name: string;
  doc: string;
  values: readonly EnumValue[];
}

function defineEnum(name: string, doc: string, values: Record<string, string>): EnumDef {
  return { name, doc, values: Object.entries(values).map(([value, meaning]) => ({ value, doc: meaning })) };
}

export const purchaseOrderStatus = defineEnum('PurchaseOrderStatus', 'Where a purchase order stands in its life.', {
  draft: 'Being prepared; not yet submitted for approval or sent to the vendor.',
  pending_approval: 'Submitted and waiting for an approval or release (SAP release strategy, NetSuite approval routing).',
  approved: 'Approved or released and open with the vendor; nothing received yet.',
  partially_received: 'Some goods or services received, some still open.',
  received: 'Everything received; not (fully) billed yet.',
  billed: 'Everything received and billed by the vendor.',
  closed: 'Finished: no further receipts or bills expected (also: fully billed and closed by hand).',
  cancelled: 'Cancelled, rejected or deleted before completion.',
});

export const workOrderStatus = defineEnum('WorkOrderStatus', 'Where a work order stands in its life.', {
  requested: 'Asked for (a work request or notification) and not yet approved.',
  approved: 'Approved to be done, not yet planned in time.',
  scheduled: 'Planned: has a scheduled start and resources.',
  in_progress: 'Work has started.',
  on_hold: 'Started or planned but waiting (parts, access, approval).',
  completed: 'Work is done (technically complete); costs may still be settled.',
  closed: 'Completed and closed for good, including its costs.',
  cancelled: 'Cancelled before completion.',
});

export const workOrderPriority = defineEnum('WorkOrderPriority', 'How urgent a work order is.', {
  low: 'Can wait; do when convenient.',
  medium: 'Normal priority.',
  high: 'Do soon; affects operations.',
  urgent: 'Do now: safety, or production is stopped.',
});

export const workOrderType = defineEnum('WorkOrderType', 'Why the work is done.', {
  corrective: 'Repairs a fault that was found or reported.',
  preventive: 'Planned maintenance from a schedule or maintenance plan (time or meter based).',
  inspection: 'An inspection, check or calibration round.',
  emergency: 'Unplanned work that cannot wait (breakdown).',
  project: 'A project, modification or installation.',
  other: 'Anything else (the native type is in remote_type).',
});

export const workOrderTaskStatus = defineEnum('WorkOrderTaskStatus', 'Where one task of a work order stands.', {
  open: 'Not started.',
  in_progress: 'Started.',
  completed: 'Done.',
  cancelled: 'Will not be done.',
});

export const inventoryItemType = defineEnum('InventoryItemType', 'What kind of item it is.', {
  inventory: 'Stocked goods whose quantities are tracked.',
  non_inventory: 'Goods bought or sold without tracking stock.',
  service: 'A service, not goods.',
  spare_part: 'A maintenance spare part (stocked for assets).',
});

export const inventoryItemStatus = defineEnum('InventoryItemStatus', 'Whether an item may be used.', {
  active: 'May be bought, stocked and used.',
  inactive: 'Blocked, discontinued or flagged for deletion.',
});

export const vendorStatus = defineEnum('VendorStatus', 'Whether a vendor may be used.', {
  active: 'May be ordered from and paid.',
  inactive: 'No longer used (archived, marked inactive).',
  blocked: 'Explicitly blocked for purchasing, posting or payment.',
});

export const assetStatus = defineEnum('AssetStatus', 'The operating state of an asset.', {
  operational: 'In service and working.',
  down: 'Out of service because of a failure.',
  needs_repair: 'Working, but needs repair.',
  standby: 'Working and available, but not running (spare, idle).',
  decommissioned: 'Taken out of service for good (scrapped, sold, inactive).',
});

export const addressType = defineEnum('AddressType', 'What an address is used for.', {
  billing: 'Where invoices are sent from or to.',
  shipping: 'Where goods are delivered or shipped from.',
  remit_to: 'Where payments go.',
  ordering: 'Where purchase orders go.',
  office: 'Main or head office.',
  other: 'Anything else.',
});

export const contactPointType = defineEnum('ContactPointType', 'What an e-mail address or phone number is used for.', {
  work: 'General business contact.',
  mobile: 'Mobile phone.',
  fax: 'Fax.',
  billing: 'Invoices and payments.',
  ordering: 'Purchase orders.',
  other: 'Anything else.',
});

export const assigneeType = defineEnum('AssigneeType', 'Who a work order is assigned to.', {
  user: 'A person (technician, planner).',
  team: 'A team, crew, work center or work group.',
});

export const ENUMS: readonly EnumDef[] = [
  purchaseOrderStatus,
  workOrderStatus,
  workOrderPriority,
  workOrderType,
  workOrderTaskStatus,
  inventoryItemType,
  inventoryItemStatus,
  vendorStatus,
  assetStatus,
  addressType,
  contactPointType,
  assigneeType,
];
