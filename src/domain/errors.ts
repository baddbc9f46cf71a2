// Domain errors: one class per concept on a shared base; transports map them to typed results or statuses.

/** One problem found in a client's input: where (`path`) and what. */
export interface ValidationIssue {
  path: string[];
  message: string;
}

/** Base of every error the service raises on purpose. */
export abstract class DomainError extends Error {
  abstract override readonly name: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Thrown when client input breaks a rule of the service (bad id, title too long, unknown role, ...). */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError' as const;
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], message?: string) {
    super(message ?? issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
    this.issues = issues;
  }
}

/** Thrown when a session does not exist in the named project, or a message in the named session (whether or not it exists elsewhere). */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError' as const;

  /** The one wording for a missing session, which says nothing of other projects. */
  static session(projectId: string, sessionId: string): NotFoundError {
    return new NotFoundError(`Session ${sessionId} not found in project ${projectId}`);
  }

  /** A message that is not in the named session (whether or not it exists in another). */
  static message(sessionId: string, messageId: string): NotFoundError {
    return new NotFoundError(`Message ${messageId} not found in session ${sessionId}`);
  }
}

/** Thrown when a write conflicts with the current state: a stale expected version, or deleting a session that has messages without force. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError' as const;
}

/** Thrown when the caller's token does not allow the operation: a missing scope, or a write to a project it may not use. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError' as const;
}

/** Thrown by a search while the store's search index is being built or brought up to its data: retry shortly. */
export class SearchCatchingUpError extends DomainError {
  override readonly name = 'SearchCatchingUpError' as const;
}

/** Thrown by a store when a session's files on disk are damaged; the server answers with an internal error for that session only. */
export class StoreCorruptionError extends Error {
  override readonly name = 'StoreCorruptionError' as const;
}

/**
 * Thrown when the store's database cannot be reached right now (a restart, a failover, a cut connection). Nothing was
 * written, or (when the connection died during COMMIT) the outcome is unknown: either way a retry is safe, and a
 * retried append with the same clientMessageId is stored exactly once.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError' as const;
  /** How long clients should wait before they retry. */
  readonly retryAfterSeconds = 2;
  constructor(options?: ErrorOptions) {
    super('The database is unavailable; retry shortly', options);
  }
}

/**
 * Thrown when the store cannot write because its storage is full (ENOSPC, EDQUOT). Nothing of the failed write was
 * acknowledged and nothing acknowledged before it is lost; writes succeed again once space is freed.
 */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError' as const;
  constructor(detail: string, options?: ErrorOptions) {
    super(`Storage is full: ${detail}`, options);
  }
}
