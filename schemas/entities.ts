/**
 * The first-wave entities of the unified model: their names (snake_case, singular) and the
 * plural used for topics, tables and API paths. Their fields are defined in schemas/model/.
 */
export const ENTITY_PLURALS = {
  purchase_order: 'purchase_orders',
  work_order: 'work_orders',
  inventory_item: 'inventory_items',
  vendor: 'vendors',
  asset: 'assets',
} as const;

export type EntityName = keyof typeof ENTITY_PLURALS;
export const ENTITY_NAMES = Object.keys(ENTITY_PLURALS) as EntityName[];

export function isEntityName(value: string): value is EntityName {
  return Object.hasOwn(ENTITY_PLURALS, value);
}
