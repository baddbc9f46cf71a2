// Type references shared across schema files, so that files can point at each other's types without import cycles.
import type { Message } from '../../domain/message.js';
import type { Session } from '../../domain/session.js';
import { builder } from '../builder.js';

/** The loader key of a session: `projectId/sessionId` ('/' never appears in an id). */
export function sessionKey(projectId: string, sessionId: string): string {
  return `${projectId}/${sessionId}`;
}

export const SessionRef = builder.loadableObjectRef<Session | null, string, string, Session>('Session', {
  // One batched store read per tick for every session a query names, by key.
  load: (keys, context) =>
    context.service.getSessions(
      keys.map((key) => {
        const slash = key.indexOf('/');
        return { projectId: key.slice(0, slash), sessionId: key.slice(slash + 1) };
      }),
    ),
});

export const MessageRef = builder.objectRef<Message>('Message');
