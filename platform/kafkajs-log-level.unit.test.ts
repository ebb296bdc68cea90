import { logLevel, type LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { pinoLevelOf } from './kafkajs-log-level.js';

const CONCURRENT = 'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';
const NOT_LEADER = 'This server is not the leader for that topic-partition';

function entry(namespace: string, level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return { namespace, level, label: logLevel[level]!, log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra } };
}

/** The lines kafkajs printed at error on a clean `millrace start`, as it builds them. */
describe('pinoLevelOf', () => {
  it('makes a broker answer kafkajs retries a debug line', () => {
    expect(pinoLevelOf(entry('Connection', logLevel.ERROR, 'Response AddPartitionsToTxn(key: 24, version: 1)', { broker: '127.0.0.1:19092', error: CONCURRENT, correlationId: 58 }))).toBe('debug');
    expect(pinoLevelOf(entry('Connection', logLevel.ERROR, 'Response ListOffsets(key: 2, version: 3)', { error: NOT_LEADER, correlationId: 8 }))).toBe('debug');
    expect(pinoLevelOf(entry('Connection', logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' }))).toBe('debug');
  });

  it("makes a send kafkajs retries debug, and a warning once it keeps failing", () => {
    expect(pinoLevelOf(entry('Producer', logLevel.ERROR, `Failed to send messages: ${CONCURRENT}`, { retryCount: 0, retryTime: 252 }))).toBe('debug');
    expect(pinoLevelOf(entry('Producer', logLevel.ERROR, `Failed to send messages: ${NOT_LEADER}`, { retryCount: 2, retryTime: 900 }))).toBe('debug');
    expect(pinoLevelOf(entry('Producer', logLevel.ERROR, `Failed to send messages: ${CONCURRENT}`, { retryCount: 3, retryTime: 2_000 }))).toBe('warn');
  });

  it('keeps errors kafkajs does not retry, and the end of retries, at error', () => {
    expect(pinoLevelOf(entry('Connection', logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)', { error: 'The producer has been rejected from the broker because it tried to use an old epoch with the transactionalId' }))).toBe('error');
    expect(pinoLevelOf(entry('Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:19092', { broker: '127.0.0.1:19092' }))).toBe('error');
    expect(pinoLevelOf(entry('Producer', logLevel.ERROR, 'Failed to send messages: The request included a message larger than the max message size the server will accept', { retryCount: 0 }))).toBe('error');
    expect(pinoLevelOf(entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: This server is not the leader for that topic-partition', { groupId: 'g', retryCount: 5 }))).toBe('error');
  });

  it('makes a consumer crash on a retriable answer, and its restart, info lines; warnings once persistent', () => {
    const loading = "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group";
    expect(pinoLevelOf(entry('Consumer', logLevel.ERROR, loading, { groupId: 'g', stack: 'KafkaJSProtocolError: …' }))).toBe('info');
    expect(pinoLevelOf(entry('Consumer', logLevel.ERROR, 'Restarting the consumer in 300ms', { groupId: 'g', retryTime: 300 }))).toBe('info');
    expect(pinoLevelOf(entry('Consumer', logLevel.ERROR, loading, { groupId: 'g', retryCount: 4 }))).toBe('warn');
    expect(pinoLevelOf(entry('Consumer', logLevel.ERROR, 'Restarting the consumer in 9000ms', { groupId: 'g', retryCount: 4 }))).toBe('warn');
    expect(pinoLevelOf(entry('Consumer', logLevel.ERROR, 'Crash: KafkaJSProtocolError: Not authorized to access group', { groupId: 'g' }))).toBe('error');
  });

  it('maps the other levels one to one', () => {
    expect(pinoLevelOf(entry('Consumer', logLevel.WARN, 'Consumer group rebalancing'))).toBe('warn');
    expect(pinoLevelOf(entry('Consumer', logLevel.INFO, 'Starting'))).toBe('info');
    expect(pinoLevelOf(entry('Connection', logLevel.DEBUG, 'Request Metadata'))).toBe('debug');
    expect(pinoLevelOf(entry('Connection', logLevel.NOTHING, 'odd'))).toBe('error');
  });
});
