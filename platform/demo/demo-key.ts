import fs from 'node:fs';
import path from 'node:path';
import type { ApiKeyStore } from '../../api/auth/api-key-store.js';
import { DEMO_OWNER } from './demo-connections.js';

/**
 * The demo's admin API key, kept in `<dataDir>/demo-api-key` (mode 0600) so every start prints
 * the same key. Only its hash is in Kafka; deleting the file and restarting makes a new key
 * (revoke the old one with DELETE /v1/api-keys/{id}).
 */
export async function demoApiKey(apiKeys: ApiKeyStore, dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'demo-api-key');
  const input = { name: 'demo admin (printed by millrace start)', owner: DEMO_OWNER, scope: 'admin' as const };
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, 'utf8').trim();
    await apiKeys.ensure(key, input);
    return key;
  }
  const { key } = await apiKeys.create(input);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
