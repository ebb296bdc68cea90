import { ConfigError, loadConfig } from './config.js';
import { brokerDown, brokerStatus, brokerUp, StackError } from './stack/kafka-broker.js';
import { KafkaUnreachableError } from './kafka.js';
import { EmbeddedClickHouseLockedError } from './clickhouse.js';
import { startMillrace } from './start.js';

const USAGE = `usage: millrace <command>

  start                 run every stage in one process (local stack and demo sources unless configured)
  stack up|down|status  the local single-node Kafka broker (for machines without Docker)
`;

/** Errors a user can fix get one clear line and exit code 1; anything else is a bug and shows its stack. */
const KNOWN_ERRORS = [ConfigError, StackError, KafkaUnreachableError, EmbeddedClickHouseLockedError];

export async function runCli(args: string[]): Promise<number> {
  try {
    return await dispatch(args);
  } catch (error) {
    if (KNOWN_ERRORS.some((known) => error instanceof known)) {
      process.stderr.write(`millrace: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
}

async function dispatch(args: string[]): Promise<number> {
  const [command, sub] = args;
  if (command === 'stack') return stack(sub);
  if (command === 'start') {
    await startMillrace(loadConfig());
    return 0;
  }
  process.stderr.write(USAGE);
  return command ? 2 : 0;
}

async function stack(sub: string | undefined): Promise<number> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (sub === 'up') {
    await brokerUp({ log });
    return 0;
  }
  if (sub === 'down') {
    await brokerDown({ log });
    return 0;
  }
  if (sub === 'status') {
    const status = brokerStatus();
    log(status.running ? `kafka: running (pid ${status.pid}) on ${status.bootstrap}` : 'kafka: not running');
    return status.running ? 0 : 3;
  }
  process.stderr.write(USAGE);
  return 2;
}

