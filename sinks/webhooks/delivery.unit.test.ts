import { describe, expect, it } from 'vitest';
import { automaticDeliveryId } from './delivery.js';

describe('automaticDeliveryId', () => {
  it('is the same for the same event and subscription, so a redelivery is logged under one delivery', () => {
    expect(automaticDeliveryId('evt_1', 'wh_1')).toBe(automaticDeliveryId('evt_1', 'wh_1'));
  });

  it('differs per event and per subscription, and has the UUID version 5 layout', () => {
    const ids = new Set([automaticDeliveryId('evt_1', 'wh_1'), automaticDeliveryId('evt_1', 'wh_2'), automaticDeliveryId('evt_2', 'wh_1'), automaticDeliveryId('evt_1/wh', '1')]);
    expect(ids.size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
