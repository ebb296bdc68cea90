/** Consumer-group timing that moves a stopped or killed transformer's partitions within seconds. */
export const FAST_TRANSFORMER_GROUP = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 10_000 };
