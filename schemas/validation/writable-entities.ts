import type { EntityName } from '../entities.js';

/** Entities the API can create and update through a connector; their fields carry write flags. */
export const WRITABLE_ENTITIES = ['purchase_order', 'work_order'] as const satisfies readonly EntityName[];
export type WritableEntityName = (typeof WRITABLE_ENTITIES)[number];
