import { createRequire } from 'node:module';
import { logLevel as kafkaLogLevel, type LogEntry } from 'kafkajs';

/**
 * The pino level of a kafkajs log entry. kafkajs logs at error every broker answer that carries
 * an error code, and every failed attempt of a send, even when it retries the request itself
 * and the retry succeeds: a transactional producer that starts its next transaction while the
 * broker still writes the last one's markers gets CONCURRENT_TRANSACTIONS once or twice, a
 * topic created a moment ago answers "not the leader" until its leader is elected. Those lines
 * are debug: nothing failed. Millrace still sees every real failure: when kafkajs runs out of
 * retries the error reaches the calling stage, which reports it (and kafkajs logs
 * "KafkaJSNumberOfRetriesExceeded"-style lines, which stay errors); an error that is still
 * retried after PERSISTENT_RETRY attempts is a warning, so a broker in trouble is not silent.
 */
const PERSISTENT_RETRY = 3;

interface KafkaErrorCode {
  type: string;
  retriable: boolean;
  message: string;
}

/** kafkajs's own table of protocol errors and whether it retries them (not in its typings). */
const errorCodes = createRequire(import.meta.url)('kafkajs/src/protocol/error.js').errorCodes as KafkaErrorCode[];

/** Handled by kafkajs without a retry flag: the consumer rejoins the group on its own. */
const HANDLED_BY_KAFKAJS = new Set(['REBALANCE_IN_PROGRESS']);

const RETRIED_MESSAGES = new Set(errorCodes.filter((code) => code.retriable || HANDLED_BY_KAFKAJS.has(code.type)).map((code) => code.message));

/** kafkajs prefixes a producer's failed attempt with this before the broker's message. */
const SEND_FAILED = 'Failed to send messages: ';

export type PinoLevel = 'error' | 'warn' | 'info' | 'debug';

/**
 * A consumer that meets a retriable protocol error while joining (COORDINATOR_LOAD_IN_PROGRESS
 * on a broker that just started) "crashes" and restarts itself a moment later: kafkajs logs both
 * at error. The restart is the recovery, so both lines are info, and warnings once persistent.
 */
const CRASH = /^Crash: KafkaJSProtocolError: (.*)$/s;
const RESTARTING = /^Restarting the consumer in \d+ms$/;

export function pinoLevelOf(entry: LogEntry): PinoLevel {
  if (entry.level === kafkaLogLevel.WARN) return 'warn';
  if (entry.level === kafkaLogLevel.INFO) return 'info';
  if (entry.level > kafkaLogLevel.INFO) return 'debug';
  const crash = CRASH.exec(entry.log.message);
  if ((crash && RETRIED_MESSAGES.has(crash[1]!)) || RESTARTING.test(entry.log.message)) return persistent(entry.log) ? 'warn' : 'info';
  if (!isRetriedProtocolError(entry.log)) return 'error';
  return persistent(entry.log) ? 'warn' : 'debug';
}

function persistent(log: LogEntry['log']): boolean {
  const retryCount = (log as { retryCount?: unknown }).retryCount;
  return typeof retryCount === 'number' && retryCount >= PERSISTENT_RETRY;
}

/** The broker's message of a failed answer or attempt is one kafkajs retries. */
function isRetriedProtocolError(log: LogEntry['log']): boolean {
  const { error, message } = log as { error?: unknown; message: string };
  if (typeof error === 'string') return RETRIED_MESSAGES.has(error);
  if (message.startsWith(SEND_FAILED)) return RETRIED_MESSAGES.has(message.slice(SEND_FAILED.length));
  return RETRIED_MESSAGES.has(message);
}
