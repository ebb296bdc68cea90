import type { StoredSubscription } from './subscription-schema.js';

/** A stored subscription with every field set, for unit tests; `overrides` change what a test is about. */
export function storedSubscription(overrides: Partial<StoredSubscription> = {}): StoredSubscription {
  const at = '2025-01-01T00:00:00.000Z';
  return {
    kind: 'subscription',
    id: 'wh_test',
    owner: 'team-a',
    url: 'https://hooks.example.com/millrace',
    event_types: ['*'],
    connection_ids: null,
    entities: null,
    include_record: false,
    enabled: true,
    description: '',
    rate_limit_per_second: null,
    max_concurrency: 10,
    disabled_reason: null,
    disabled_at: null,
    secrets: [],
    enabled_at: at,
    created_at: at,
    updated_at: at,
    revision: 1,
    ...overrides,
  };
}
