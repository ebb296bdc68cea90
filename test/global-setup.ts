import type { TestProject } from 'vitest/node';
import { brokerDown, brokerStatus, brokerUp } from '../platform/stack/kafka-broker.js';
import { assertBrokersReachable } from '../platform/kafka.js';

/**
 * Starts what the integration tests need, once per run: the Kafka broker (unless KAFKA_BROKERS
 * points at one). It stops only what it started, so a developer's running stack is left alone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: (() => Promise<void>)[] = [];
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    const wasRunning = brokerStatus().running;
    const status = await brokerUp({ log: (line) => process.stderr.write(`[stack] ${line}\n`) });
    brokers = status.bootstrap;
    if (!wasRunning && !process.env.MILLRACE_KEEP_STACK) teardowns.push(() => brokerDown({ log: () => {} }));
  }
  await assertBrokersReachable(brokers.split(','), 30_000);
  process.env.KAFKA_BROKERS = brokers;
  project.provide('kafkaBrokers', brokers);
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
  }
}
