import { describe, expect, it } from 'vitest';
import { DeadLetterAlerts } from './dead-letter-alerts.js';

const letter = (path: string) => ({ stage: 'map' as const, path, reason: `mapping failed at ${path}` });

describe('dead-letter alerts', () => {
  it('send one system.error per connection per interval, with the count since the last one', () => {
    let now = 0;
    const alerts = new DeadLetterAlerts('m.dead-letters', 60_000, () => now);
    alerts.note([{ connectionId: 'c1', letter: letter('A') }]);
    const first = alerts.due();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ type: 'system.error', connection_id: 'c1', data: { code: 'dead_letters', count: 1, stages: { map: 1 }, topic: 'm.dead-letters' } });

    for (let i = 0; i < 500; i++) alerts.note([{ connectionId: 'c1', letter: letter(`B${i}`) }]);
    alerts.note([{ connectionId: 'c2', letter: { stage: 'validate', path: 'currency', reason: 'bad currency' } }]);
    now = 30_000;
    const second = alerts.due();
    expect(second.map((event) => event.connection_id)).toEqual(['c2']);
    expect(alerts.nextDueInMs()).toBe(30_000);

    now = 60_000;
    const third = alerts.due();
    expect(third).toHaveLength(1);
    expect(third[0]!.data).toMatchObject({ count: 500, last: { path: 'B499' } });
    expect(third[0]!.data.message).toMatch(/^500 raw records of connection c1 could not be transformed and went to m\.dead-letters; the last one: mapping failed at B499$/);
    expect(alerts.due()).toEqual([]);
    expect(alerts.nextDueInMs()).toBeNull();
  });

  it('report records without a connection as a system-wide alert', () => {
    const alerts = new DeadLetterAlerts('m.dead-letters');
    alerts.note([{ connectionId: null, letter: { stage: 'headers', path: '', reason: 'raw record header millrace-op is missing' } }]);
    const [event] = alerts.due();
    expect(event!.connection_id).toBeNull();
    expect(event!.data.message).toMatch(/records without a connection header/);
  });
});
