// Configuration: defaults, parsing, and one clear error naming the bad variable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      maxBodyBytes: 1024 * 1024,
      maxMessageBytes: 256 * 1024,
      maxImportBytes: 100 * 1024 * 1024,
      subscriptionBuffer: 1000,
      streamIdleTimeoutMs: 60_000,
      retentionSweepIntervalMs: 3_600_000,
      corsOrigins: [],
      introspection: true,
      auth: null,
      store: { kind: 'file' },
      redisUrl: null,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATA_DIR: '/tmp/x', LOG_LEVEL: 'debug', MAX_BODY_BYTES: '2048', MAX_MESSAGE_BYTES: '100', MAX_IMPORT_BYTES: '4096', SUBSCRIPTION_BUFFER: '50', STREAM_IDLE_TIMEOUT_MS: '5000', RETENTION_SWEEP_INTERVAL_MS: '60000', CORS_ORIGINS: 'https://a.example, http://localhost:5173', GRAPHQL_INTROSPECTION: 'false' });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/tmp/x',
      logLevel: 'debug',
      maxBodyBytes: 2048,
      maxMessageBytes: 100,
      maxImportBytes: 4096,
      subscriptionBuffer: 50,
      streamIdleTimeoutMs: 5000,
      retentionSweepIntervalMs: 60_000,
      corsOrigins: ['https://a.example', 'http://localhost:5173'],
      introspection: false,
      auth: null,
      store: { kind: 'file' },
      redisUrl: null,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['MAX_BODY_BYTES', '-1'],
    ['MAX_MESSAGE_BYTES', '1.5'],
    ['MAX_IMPORT_BYTES', '10'],
    ['CORS_ORIGINS', 'not a url'],
    ['GRAPHQL_INTROSPECTION', 'maybe'],
  ])('refuses %s=%s with an error naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name}=`));
  });

  it('reads one token key source with issuer and audience, and refuses two', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: 'iss', AUTH_JWT_AUDIENCE: 'aud' }).auth).toEqual({ secret, issuer: 'iss', audience: 'aud' });
    expect(() => loadConfig({ AUTH_JWT_SECRET: secret, AUTH_JWKS_URL: 'https://keys.example/jwks.json' })).toThrow(/set only one key source/);
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/^Invalid configuration: AUTH_JWT_SECRET=/);
    expect(() => loadConfig({ AUTH_JWT_ISSUER: 'iss' })).toThrow(/need AUTH_JWT_SECRET/);
  });
});
