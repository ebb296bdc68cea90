import { createLogger } from '../../../platform/logger.js';
import type { ReadContext, StreamDefinition } from '../../sdk/types.js';
import { createBcClient, type BcClient } from '../client.js';
import { bcConfigSchema, type BcConfig } from '../config.js';
import type { RetryOptions } from '../../sdk/retry.js';
import { SANDBOX_CLIENT, startBcSandbox, type BcSandboxOptions, type StartedBcSandbox } from './index.js';

/** The connector pointed at a sandbox on loopback, for contract tests. */
export interface Harness {
  sandbox: StartedBcSandbox;
  config: BcConfig;
  client: BcClient;
  companyId: string;
  read<Raw, Cursor>(stream: StreamDefinition<BcClient, Raw, Cursor>, cursor?: Cursor | null): Promise<{ records: Raw[]; cursor: Cursor | null; pages: number }>;
  close(): Promise<void>;
}

export const silentLogger = createLogger({ level: 'silent' });

export function readContext(): ReadContext {
  return { signal: new AbortController().signal, logger: silentLogger, startedAt: new Date() };
}

export async function startHarness(options: BcSandboxOptions & { config?: Partial<BcConfig>; retry?: RetryOptions } = {}): Promise<Harness> {
  const sandbox = await startBcSandbox(options);
  const config = bcConfigSchema.parse({
    tenantId: sandbox.tenantId,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    apiBaseUrl: sandbox.apiBaseUrl,
    loginBaseUrl: sandbox.loginBaseUrl,
    ...options.config,
  });
  const client = createBcClient(config, silentLogger, { retry: options.retry ?? { retries: 2, minDelayMs: 10, maxDelayMs: 100 } });
  return {
    sandbox,
    config,
    client,
    companyId: sandbox.companyIds[0]!,
    async read(stream, cursor = null) {
      const records = [];
      let last = cursor;
      let pages = 0;
      for await (const page of stream.read(client, cursor, readContext())) {
        pages++;
        records.push(...page.records);
        last = page.cursor;
      }
      return { records, cursor: last, pages };
    },
    async close() {
      await client.close();
      await sandbox.server.close();
    },
  };
}
