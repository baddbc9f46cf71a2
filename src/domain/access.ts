// What one caller may do: its scopes, and which projects it may see. Checked by the service, for every transport.

export type Scope = 'chat:read' | 'chat:write';

export interface Access {
  readonly scopes: ReadonlySet<Scope>;
  /** The token's `sub` when auth is on (recorded as a session's createdBy); null otherwise. */
  readonly subject: string | null;
  /** True when the caller may use this project at all. */
  allows(projectId: string): boolean;
}

/** Everything, for everyone: the access of every request when authentication is off. */
export const OPEN_ACCESS: Access = { scopes: new Set<Scope>(['chat:read', 'chat:write']), subject: null, allows: () => true };

/** Nothing at all: what a request gets if it somehow reaches the service unauthenticated while auth is on. */
export const NO_ACCESS: Access = { scopes: new Set<Scope>(), subject: null, allows: () => false };

/**
 * A GraphQL request without a token while auth is on: it may only read what a share link shows
 * (Query.sharedConversation); anything else is answered 401 (see useAnonymousShareOnly).
 */
export const ANONYMOUS: Access = { scopes: new Set<Scope>(), subject: null, allows: () => false };
