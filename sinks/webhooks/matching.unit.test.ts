import { describe, expect, it } from 'vitest';
import { createEvent, type EventType } from '../../platform/events.js';
import { subscriptionMatches } from './matching.js';
import { storedSubscription } from './test-fixtures.js';

const event = (type: EventType, connectionId: string | null, data: Record<string, unknown> = {}) => createEvent(type, connectionId, data);

describe('subscriptionMatches', () => {
  it('matches exact types and prefix wildcards', () => {
    const subscription = storedSubscription({ event_types: ['record.*', 'sync.completed'] });
    expect(subscriptionMatches(subscription, event('record.updated', 'c1', { entity: 'vendor' }))).toBe(true);
    expect(subscriptionMatches(subscription, event('sync.completed', 'c1'))).toBe(true);
    expect(subscriptionMatches(subscription, event('sync.failed', 'c1'))).toBe(false);
  });

  it('applies the connection filter; system events reach only unfiltered subscriptions', () => {
    const filtered = storedSubscription({ connection_ids: ['c1', 'c2'] });
    expect(subscriptionMatches(filtered, event('sync.completed', 'c2'))).toBe(true);
    expect(subscriptionMatches(filtered, event('sync.completed', 'c3'))).toBe(false);
    expect(subscriptionMatches(filtered, event('system.error', null))).toBe(false);
    expect(subscriptionMatches(storedSubscription(), event('system.error', null))).toBe(true);
  });

  it('narrows record events by entity and lets other types through', () => {
    const subscription = storedSubscription({ entities: ['purchase_order'] });
    expect(subscriptionMatches(subscription, event('record.created', 'c1', { entity: 'purchase_order' }))).toBe(true);
    expect(subscriptionMatches(subscription, event('record.created', 'c1', { entity: 'vendor' }))).toBe(false);
    expect(subscriptionMatches(subscription, event('sync.completed', 'c1'))).toBe(true);
  });

  it('skips disabled endpoints and events older than the subscription, except in replay', () => {
    const old = { ...event('sync.completed', 'c1'), timestamp: '2024-12-31T23:59:59.000Z' };
    expect(subscriptionMatches(storedSubscription({ enabled: false }), event('sync.completed', 'c1'))).toBe(false);
    expect(subscriptionMatches(storedSubscription(), old)).toBe(false);
    expect(subscriptionMatches(storedSubscription(), old, { history: true })).toBe(true);
  });

  it('sends endpoint.disabled to the owner’s other endpoints, never to the disabled one', () => {
    const disabled = event('endpoint.disabled', null, { subscription_id: 'wh_dead', owner: 'team-a' });
    expect(subscriptionMatches(storedSubscription({ id: 'wh_dead' }), disabled)).toBe(false);
    expect(subscriptionMatches(storedSubscription({ id: 'wh_other' }), disabled)).toBe(true);
    expect(subscriptionMatches(storedSubscription({ id: 'wh_foreign', owner: 'team-b' }), disabled)).toBe(false);
  });

  it('never fans out test events', () => {
    expect(subscriptionMatches(storedSubscription(), event('webhook.test', null))).toBe(false);
  });
});
