import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { brokerDown, brokerStatus, brokerUp, StackError } from './stack/kafka-broker.js';
import { KafkaUnreachableError } from './kafka.js';
import { EmbeddedClickHouseLockedError } from './clickhouse.js';
import { RuntimeError } from '../producers/errors.js';
import { createApiKey } from '../api/auth/create-key-command.js';
import { runWorker, startMillrace, STAGE_ROLES, type StageRole } from './start.js';
import { relaxHeapGrowth } from './heap.js';

const USAGE = `usage: millrace <command>

  start                     run every stage in one process (local stack and demo sources unless configured)
  worker --role=<role>      run one stage: ${STAGE_ROLES.join(', ')} (needs KAFKA_BROKERS, and CLICKHOUSE_URL for sink, webhooks, api)
  api-key create --owner=<owner> [--scope=admin|write|read] [--name=<name>]
                            create an API key (printed once)
  stack up|down|status      the local single-node Kafka broker (for machines without Docker)
`;

/** Errors a user can fix get one clear line and exit code 1; anything else is a bug and shows its stack. */
const KNOWN_ERRORS = [ConfigError, StackError, KafkaUnreachableError, EmbeddedClickHouseLockedError, RuntimeError];

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
    relaxHeapGrowth();
    await startMillrace(loadConfig());
    return 0;
  }
  if (command === 'worker') return worker(args.slice(1));
  if (command === 'api-key' && sub === 'create') return apiKey(args.slice(2));
  process.stderr.write(USAGE);
  return command ? 2 : 0;
}

async function worker(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string' } }, strict: true });
  if (!values.role || !(STAGE_ROLES as readonly string[]).includes(values.role)) {
    process.stderr.write(`millrace worker: --role must be one of ${STAGE_ROLES.join(', ')}\n${USAGE}`);
    return 2;
  }
  relaxHeapGrowth();
  await runWorker(loadConfig(), values.role as StageRole);
  return 0;
}

async function apiKey(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { owner: { type: 'string' }, scope: { type: 'string', default: 'admin' }, name: { type: 'string', default: 'created with millrace api-key create' } }, strict: true });
  if (!values.owner || !['admin', 'write', 'read'].includes(values.scope)) {
    process.stderr.write(`millrace api-key create: --owner is required and --scope is admin, write or read\n${USAGE}`);
    return 2;
  }
  const key = await createApiKey(loadConfig(), { owner: values.owner, scope: values.scope as 'admin' | 'write' | 'read', name: values.name });
  process.stdout.write(`${key}\n`);
  return 0;
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
