import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.KAFKA_BROKERS).toBeUndefined();
    expect(config.MILLRACE_TOPIC_PREFIX).toBe('millrace.');
    expect(config.CLICKHOUSE_DATABASE).toBe('millrace');
    expect(config.dataDir).toMatch(/\.millrace$/);
  });

  it('splits a broker list', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('names every wrong variable and never echoes a secret value', () => {
    const secret = 'not-a-valid-key-but-secret';
    let caught: unknown;
    try {
      loadConfig({ KAFKA_BROKERS: 'localhost', CLICKHOUSE_URL: 'ftp://x', MILLRACE_MASTER_KEY: secret, LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['CLICKHOUSE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL', 'MILLRACE_MASTER_KEY']);
    expect(error.message).toContain('KAFKA_BROKERS: each broker must be host:port');
    expect(error.message).not.toContain(secret);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ CLICKHOUSE_URL: '' }).CLICKHOUSE_URL).toBeUndefined();
  });
});
