import { describe, expect, it } from 'vitest';
import { replayRangeSchema, subscriptionCreateSchema, subscriptionUpdateSchema } from './subscription-schema.js';

describe('subscription input schemas', () => {
  it('fills defaults for a minimal subscription', () => {
    expect(subscriptionCreateSchema.parse({ url: 'https://x.example.com/h', event_types: ['sync.*'] })).toEqual({
      url: 'https://x.example.com/h',
      event_types: ['sync.*'],
      connection_ids: null,
      entities: null,
      include_record: false,
      enabled: true,
      description: '',
      rate_limit_per_second: null,
      max_concurrency: 10,
      owner: null,
    });
  });

  it('names each wrong field', () => {
    const result = subscriptionCreateSchema.safeParse({ url: '', event_types: ['sync.finished'], entities: ['spaceship'], max_concurrency: 0, extra: 1 });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['url', 'event_types.0', 'entities.0', 'max_concurrency', '']));
    expect(result.error!.issues.find((issue) => issue.path[0] === 'event_types')!.message).toContain('"sync.finished" matches no event type');
  });

  it('leaves fields that an update does not mention unset', () => {
    expect(subscriptionUpdateSchema.parse({ description: 'x' })).toEqual({ description: 'x' });
  });

  it('wants a replay range in order', () => {
    expect(replayRangeSchema.safeParse({ from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }).success).toBe(false);
    expect(replayRangeSchema.safeParse({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00+01:00' }).success).toBe(true);
  });
});
