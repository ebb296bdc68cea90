import { createLogger } from '../../../platform/logger.js';
import { runSandbox, type RunningSandbox } from '../../sandbox-kit/server.js';
import type { RetryOptions } from '../../sdk/retry.js';
import type { StreamDefinition } from '../../sdk/types.js';
import { NetSuiteClient } from '../client.js';
import { netsuiteConfigSchema, type NetSuiteConfig } from '../config.js';
import type { NetSuiteCursor } from '../discovery.js';
import type { Raw } from '../mappers/common.js';
import { createNetSuiteSandbox, sandboxConnectionConfig, type NetSuiteSandbox, type NetSuiteSandboxOptions } from './index.js';

/**
 * For the connector's contract tests: a sandbox on loopback and a NetSuiteClient configured for
 * it exactly as a customer's connection would be (account id, base URL, credentials).
 */
export interface Harness {
  sandbox: NetSuiteSandbox;
  running: RunningSandbox;
  config: NetSuiteConfig;
  client: NetSuiteClient;
  sync(stream: StreamDefinition<NetSuiteClient, Raw, NetSuiteCursor>, cursor: NetSuiteCursor | null): Promise<SyncOutcome>;
  close(): Promise<void>;
}

export interface SyncOutcome {
  records: Raw[];
  deleted: string[];
  cursor: NetSuiteCursor | null;
  pages: number;
}

export interface HarnessOptions extends NetSuiteSandboxOptions {
  auth?: 'tba' | 'oauth2_m2m';
  config?: Partial<Record<keyof NetSuiteConfig, unknown>>;
  retry?: RetryOptions;
  timeoutMs?: number;
}

export const quietLogger = createLogger({ level: 'silent' });

export function connectionConfig(sandbox: NetSuiteSandbox, url: string, auth: 'tba' | 'oauth2_m2m' = 'tba', overrides: HarnessOptions['config'] = {}): NetSuiteConfig {
  return netsuiteConfigSchema.parse({ ...sandboxConnectionConfig(sandbox, url, auth), ...overrides });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await createNetSuiteSandbox(options);
  const running = await runSandbox(sandbox.app);
  const config = connectionConfig(sandbox, running.url, options.auth, options.config);
  const client = new NetSuiteClient(config, quietLogger, {
    retry: options.retry ?? { retries: 3, minDelayMs: 20, maxDelayMs: 200 },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    sandbox,
    running,
    config,
    client,
    async sync(stream, cursor) {
      const outcome: SyncOutcome = { records: [], deleted: [], cursor, pages: 0 };
      const ctx = { signal: new AbortController().signal, logger: quietLogger, startedAt: new Date() };
      for await (const page of stream.read(client, cursor, ctx)) {
        outcome.pages++;
        outcome.records.push(...page.records);
        outcome.deleted.push(...(page.deletedRemoteIds ?? []));
        outcome.cursor = page.cursor;
      }
      return outcome;
    },
    async close() {
      await client.close();
      await running.close();
    },
  };
}
