import type { RuntimeSettings } from '../../producers/runtime-settings.js';

/** Settings that keep the runtime's waits short in tests. */
export const FAST_SETTINGS: Partial<RuntimeSettings> = {
  offlineAfterFailures: 3,
  retryBackoffMs: { min: 300, max: 1_000 },
  rateLimitWaits: 5,
  maxRateLimitWaitSeconds: 5,
};

/** Consumer-group timing that moves a dead worker's connections within seconds. */
export const FAST_GROUP = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 10_000 };
