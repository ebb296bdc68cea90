import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { planFetch } from './fetch-plan.js';

const at = (...offsets: number[]): KafkaMessage[] => offsets.map((offset) => ({ offset: String(offset), key: null, value: null, timestamp: '0', attributes: 0, headers: {} }) as unknown as KafkaMessage);

describe('a fetch of a raw partition', () => {
  it('transforms every record when nothing was committed yet', () => {
    const plan = planFetch(at(0, 1, 2), null, '3');
    expect(plan.fresh.map((message) => message.offset)).toEqual(['0', '1', '2']);
    expect(plan).toMatchObject({ resolveTo: null, pastMarkersTo: null });
  });

  it('skips the records a transaction already committed and keeps the rest', () => {
    const plan = planFetch(at(4, 5, 6, 7), 6n, '8');
    expect(plan.fresh.map((message) => message.offset)).toEqual(['6', '7']);
    // The last chunk's own transaction commits past the markers after 7.
    expect(plan).toMatchObject({ resolveTo: null, pastMarkersTo: null });
  });

  it('commits past the markers after records that were all committed already', () => {
    // Records 4–6 committed (next 7), then the page's commit marker at 7: the fetch repeats 4–6.
    const plan = planFetch(at(4, 5, 6), 7n, '7');
    expect(plan.fresh).toEqual([]);
    expect(plan.resolveTo).toBe('6');
    expect(plan.pastMarkersTo).toBe(8n);
  });

  it('commits nothing when the committed position already lies past the fetch', () => {
    const plan = planFetch(at(4, 5, 6), 8n, '7');
    expect(plan).toMatchObject({ fresh: [], resolveTo: '6', pastMarkersTo: null });
  });
});
