// Errors in the legacy FastAPI shape: {"detail": "..."} or, for validation, {"detail": [{loc, msg, type}]}.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { DomainError, ForbiddenError, NotFoundError, StorageFullError, StoreUnavailableError, ValidationError } from '../domain/errors.js';

export type Loc = (string | number)[];
export interface FastApiIssue {
  loc: Loc;
  msg: string;
  type: string;
}

/** An answer with a status and a sentence, raised by a handler; never logged as a fault. */
export class RestError extends Error {
  override readonly name = 'RestError' as const;
  constructor(
    readonly status: 400 | 404 | 412 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** 422 with FastAPI's list of issues. */
export class RestValidationError extends Error {
  override readonly name = 'RestValidationError' as const;
  constructor(readonly issues: FastApiIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
  }
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** FastAPI's name for the kind of a zod issue. */
function issueType(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'missing' : `${issue.expected}_type`;
    case 'invalid_value':
      return 'enum';
    case 'too_small':
      return issue.origin === 'string' ? 'string_too_short' : 'greater_than_equal';
    case 'too_big':
      return issue.origin === 'string' ? 'string_too_long' : 'less_than_equal';
    case 'invalid_format':
      return 'string_pattern_mismatch';
    default:
      return 'value_error';
  }
}

/** zod issues of one part of the request ('body', 'query', ...) as FastAPI issues. */
export function fromZodIssues(where: string, issues: readonly z.core.$ZodIssue[]): FastApiIssue[] {
  return issues.map((issue) => ({
    loc: [where, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    msg: issue.code === 'invalid_type' && issue.input === undefined ? 'Field required' : issue.message,
    type: issueType(issue),
  }));
}

const ID_FIELDS: Record<string, string> = { projectId: 'project_id', sessionId: 'session_id' };
const QUERY_FIELDS = new Set(['limit', 'offset']);

/** The service's ValidationError in REST terms: a malformed id is 400, anything else 422 with locations. */
function fromServiceValidation(error: ValidationError): RestError | RestValidationError {
  const badId = error.issues.find((issue) => issue.path[0] !== undefined && issue.path[0] in ID_FIELDS);
  if (badId) return new RestError(400, `Invalid ${ID_FIELDS[badId.path[0]!]}: ${badId.message}`);
  return new RestValidationError(
    error.issues.map((issue) => {
      const [first, ...rest] = issue.path;
      const where = first === 'input' ? ['body', ...rest] : QUERY_FIELDS.has(first ?? '') ? ['query', first!, ...rest] : ['body', ...issue.path];
      return { loc: where.map(snake), msg: issue.message, type: 'value_error' };
    }),
  );
}

/** Turns any error a REST handler raised into the response rest.md specifies; faults of the server are logged and masked. */
export function errorResponse(error: unknown, c: Context, logger: Logger, requestId: string): Response {
  let known = error;
  if (known instanceof ValidationError) known = fromServiceValidation(known);
  if (known instanceof NotFoundError) known = new RestError(404, known.message);
  if (known instanceof ForbiddenError) return c.json({ detail: known.message }, 403);
  if (known instanceof RestValidationError) return c.json({ detail: known.issues }, 422);
  if (known instanceof RestError) return c.json({ detail: known.message }, known.status);
  if (known instanceof HTTPException) {
    if (known.status === 415) return c.json({ detail: 'Content-Type must be application/json' }, 415);
    if (known.status === 400 && /JSON/i.test(known.message)) {
      return c.json({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] }, 422);
    }
    if (known.status === 413) return c.json({ detail: known.message }, 413);
  }
  // Faults around the server, not in it: the store logs each outage once; the client is told to retry.
  if (known instanceof StoreUnavailableError) return c.json({ detail: known.message }, 503, { 'retry-after': String(known.retryAfterSeconds) });
  if (known instanceof StorageFullError) return c.json({ detail: known.message }, 507);
  if (known instanceof DomainError) {
    // A rule the handler did not map (should not happen); still the client's fault, not the server's.
    return c.json({ detail: known.message }, 400);
  }
  logger.error({ requestId, err: error, method: c.req.method, path: c.req.path }, 'unexpected error in a REST request');
  return c.json({ detail: 'Internal error', request_id: requestId }, 500);
}
