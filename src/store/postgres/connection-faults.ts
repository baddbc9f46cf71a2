// Which errors of node-postgres mean "the database cannot be reached right now" (a restart, a failover, a cut
// connection), as opposed to a statement the database refused. Those become StoreUnavailableError: a retryable 503.

/** Socket-level failures of reaching the server at all. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATEs of a server that is going away or not taking connections: admin_shutdown (a fast restart),
 * crash_shutdown, cannot_connect_now (starting up or shutting down), too_many_connections.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres says when the connection ends under a client, or a pool cannot connect in time. */
const CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Connection ended)/;

export function isConnectionFault(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (error instanceof AggregateError) return error.errors.some(isConnectionFault);
  return CONNECTION_MESSAGES.test(error.message);
}

