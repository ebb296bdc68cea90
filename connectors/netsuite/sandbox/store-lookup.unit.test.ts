import { describe, expect, it } from 'vitest';
import { NetSuiteStore } from './store.js';

describe('NetSuite sandbox store on 1,000,000 records', () => {
  it('changes, creates and deletes records at once, without a key → index map of every record', () => {
    const store = new NetSuiteStore({ size: 1_000_000, seed: 42, now: () => Date.UTC(2025, 11, 19, 15, 23, 40) });
    const ids = store.ids('purchaseorder');
    const last = ids.at(-1)!;
    const started = performance.now();
    const order = store.get('purchaseorder', last)!;
    expect(order.id).toBe(last);
    store.save('purchaseorder', { ...order, memo: 'changed' });
    const created = store.save('purchaseorder', { ...order, id: store.allocateId('purchaseorder'), memo: 'created' });
    expect(store.delete('purchaseorder', ids[0]!)).toBe(true);
    // Building the map of 1,000,000 keys took ~1 s here; a derived index takes microseconds.
    expect(performance.now() - started).toBeLessThan(250);
    expect(store.get('purchaseorder', last)).toMatchObject({ id: last, memo: 'changed' });
    expect(store.get('purchaseorder', created.id)).toMatchObject({ memo: 'created' });
    expect(store.get('purchaseorder', ids[0]!)).toBeUndefined();
    expect(store.get('purchaseorder', ids[1]!)).toMatchObject({ id: ids[1] });
  });
});
