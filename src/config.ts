// Parses the environment into the server's configuration; the one place defaults live.
import path from 'node:path';
import { z } from 'zod';
import type { AuthConfig } from './auth/authenticate.js';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1).max(64 * 1024 * 1024).default(256 * 1024),
  MAX_IMPORT_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024 * 1024).default(100 * 1024 * 1024),
  SUBSCRIPTION_BUFFER: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  STREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(7 * 24 * 3600 * 1000).default(60_000),
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).max(7 * 24 * 3600 * 1000).default(3_600_000),
  STORE: z.enum(['file', 'postgres'], { error: 'must be file or postgres' }).default('file'),
  DATABASE_URL: z.url({ error: 'must be a postgres:// URL' }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  REDIS_URL: z.url({ error: 'must be a redis:// URL' }).optional(),
  AUTH_JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  AUTH_JWT_PUBLIC_KEY: z
    .string()
    .transform((value) => value.replace(/\\n/g, '\n'))
    .refine((value) => value.includes('-----BEGIN PUBLIC KEY-----'), { error: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)' })
    .optional(),
  AUTH_JWKS_URL: z.url({ error: 'must be a URL' }).optional(),
  AUTH_JWT_ISSUER: z.string().optional(),
  AUTH_JWT_AUDIENCE: z.string().optional(),
  GRAPHQL_INTROSPECTION: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).default('true').transform((v) => v === 'true' || v === '1'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ error: 'must be a comma-separated list of origins such as https://app.example.com' }))),
});

/** The server's validated configuration. */
export interface Config {
  port: number;
  host: string;
  /** Absolute path of the data directory. */
  dataDir: string;
  logLevel: (typeof logLevels)[number];
  /** Largest request body accepted by any endpoint, in bytes. */
  maxBodyBytes: number;
  /** Largest message content accepted, in UTF-8 bytes. */
  maxMessageBytes: number;
  /** Largest upload to importConversations (a multipart request to /graphql), in bytes. */
  maxImportBytes: number;
  /** Events one subscriber may have waiting before it is disconnected as too slow. */
  subscriptionBuffer: number;
  /** A STREAMING message with no chunk for this long is ended as INCOMPLETE. */
  streamIdleTimeoutMs: number;
  /** How often the retention policies are applied. */
  retentionSweepIntervalMs: number;
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins: string[];
  /** Whether the schema may be introspected (GraphiQL needs it). */
  introspection: boolean;
  /** Bearer JWT verification; null when authentication is off. */
  auth: AuthConfig | null;
  /** Where sessions live: the embedded file store under dataDir, or PostgreSQL. */
  store: { kind: 'file' } | { kind: 'postgres'; url: string; poolSize: number; statementTimeoutMs: number; connectTimeoutMs: number };
  /** Redis carrying live events between replicas; in-process when null. */
  redisUrl: string | null;
}

/** Thrown by {@link loadConfig} when a variable has a bad value; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const;
}

/** Reads the configuration from an environment; throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as shells make it easy to export one by accident.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${name}=${JSON.stringify(env[name] ?? '')}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  if (e.STORE === 'postgres' && !e.DATABASE_URL) throw new ConfigError('Invalid configuration: DATABASE_URL is required with STORE=postgres');
  const keySources = (['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL'] as const).filter((name) => e[name] !== undefined);
  if (keySources.length > 1) throw new ConfigError(`Invalid configuration: ${keySources.join(', ')}: set only one key source for tokens`);
  if (keySources.length === 0 && (e.AUTH_JWT_ISSUER || e.AUTH_JWT_AUDIENCE)) {
    throw new ConfigError('Invalid configuration: AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE need AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL');
  }
  const auth: AuthConfig | null =
    keySources.length === 0
      ? null
      : {
          ...(e.AUTH_JWT_SECRET !== undefined ? { secret: e.AUTH_JWT_SECRET } : {}),
          ...(e.AUTH_JWT_PUBLIC_KEY !== undefined ? { publicKey: e.AUTH_JWT_PUBLIC_KEY } : {}),
          ...(e.AUTH_JWKS_URL !== undefined ? { jwksUrl: e.AUTH_JWKS_URL } : {}),
          ...(e.AUTH_JWT_ISSUER ? { issuer: e.AUTH_JWT_ISSUER } : {}),
          ...(e.AUTH_JWT_AUDIENCE ? { audience: e.AUTH_JWT_AUDIENCE } : {}),
        };
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxImportBytes: e.MAX_IMPORT_BYTES,
    subscriptionBuffer: e.SUBSCRIPTION_BUFFER,
    streamIdleTimeoutMs: e.STREAM_IDLE_TIMEOUT_MS,
    retentionSweepIntervalMs: e.RETENTION_SWEEP_INTERVAL_MS,
    corsOrigins: e.CORS_ORIGINS,
    introspection: e.GRAPHQL_INTROSPECTION,
    auth,
    store:
      e.STORE === 'postgres'
        ? { kind: 'postgres', url: e.DATABASE_URL!, poolSize: e.DATABASE_POOL_SIZE, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS, connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS }
        : { kind: 'file' },
    redisUrl: e.REDIS_URL ?? null,
  };
}
