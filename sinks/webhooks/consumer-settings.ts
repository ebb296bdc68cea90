/**
 * Session settings of the sink's consumer groups. A dead worker's partitions wait one session
 * timeout for a new owner. The default stays at kafkajs' 30 s: a shorter one moved partitions
 * (and repeated deliveries) whenever a busy broker answered heartbeats late; retries are minutes
 * apart, so 30 s of failover costs little. Heartbeats go every third of it, as Kafka advises.
 * The brokers' group.min.session.timeout.ms (6 s by default) is the floor.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

export function sessionSettings(sessionTimeoutMs: number = DEFAULT_SESSION_TIMEOUT_MS): { sessionTimeout: number; heartbeatInterval: number } {
  return { sessionTimeout: sessionTimeoutMs, heartbeatInterval: Math.max(1_000, Math.floor(sessionTimeoutMs / 3)) };
}
