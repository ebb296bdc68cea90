import path from 'node:path';
import type { MillraceConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { RunningStages } from '../start.js';
import { demoBanner } from './banner.js';
import { ensureDemoConnections } from './demo-connections.js';
import { demoApiKey } from './demo-key.js';
import { startDemoSources } from './demo-sources.js';

/** Relative to the working directory when inside it (`.millrace/demo-api-key`), absolute otherwise. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export interface RunningDemo {
  stop(): Promise<void>;
}

/**
 * The demo around a running Millrace: every connector's sandbox with seeded data, a connection
 * to each (owner `demo`), the demo admin key, and the banner with commands to try.
 */
export async function startDemo(options: { config: MillraceConfig; stages: RunningStages; logger: Logger; out: (line: string) => void }): Promise<RunningDemo> {
  const { config, stages, logger } = options;
  if (!stages.api || !stages.producer || !stages.apiUrl) throw new Error('the demo needs the API and the producer running in this process');
  const sources = await startDemoSources(config.MILLRACE_DEMO_PORT);
  const stop = async () => {
    await Promise.allSettled(sources.map((source) => source.stop()));
  };
  try {
    await ensureDemoConnections(stages.producer.service, sources, logger.child({ component: 'demo' }));
    const apiKey = await demoApiKey(stages.api.apiKeys, config.dataDir);
    const lines = demoBanner({
      apiUrl: stages.apiUrl,
      apiKey,
      keyFile: displayPath(path.join(config.dataDir, 'demo-api-key')),
      registryUrl: stages.registryUrl,
      database: config.CLICKHOUSE_DATABASE,
      clickhouseUrl: config.CLICKHOUSE_URL,
      sources,
    });
    for (const line of lines) options.out(line);
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
