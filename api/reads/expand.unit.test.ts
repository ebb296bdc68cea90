import { describe, expect, it } from 'vitest';
import { expandableRelations } from './expand.js';

describe('expandable relations come from the model', () => {
  it('lists references to synced entities, top level and inside line lists', () => {
    const names = expandableRelations('purchase_order').map((relation) => relation.name);
    expect(names).toEqual(expect.arrayContaining(['vendor', 'lines.item', 'lines.work_order', 'lines.asset']));
    // Locations are referenced but not synced yet: nothing to expand them to.
    expect(names).not.toContain('ship_to_location');
    expect(names).not.toContain('lines.location');
    expect(expandableRelations('asset').map((relation) => relation.name)).toEqual(expect.arrayContaining(['parent_asset', 'root_asset', 'vendor']));
    expect(expandableRelations('purchase_order').find((relation) => relation.name === 'lines.item')).toEqual({ name: 'lines.item', parent: 'lines', idField: 'item_id', key: 'item', target: 'inventory_item' });
  });
});
