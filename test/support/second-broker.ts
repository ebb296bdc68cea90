import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerOptions } from '../../platform/stack/kafka-broker.js';

const repoStack = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.stack');

/**
 * A broker of a test's own, beside the shared test broker: its own ports and a fresh state
 * folder, the jars of the repository's stack (no second download). `brokerDown` it and remove
 * `stackDir` when done.
 */
export function secondBrokerOptions(port: number, folderPrefix: string): BrokerOptions & { stackDir: string; port: number } {
  return {
    stackDir: fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix)),
    cacheDir: process.env.MILLRACE_STACK_DIR ?? repoStack,
    port,
    controllerPort: port + 1,
    heap: '512m',
    log: () => {},
  };
}
