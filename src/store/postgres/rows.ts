// Rows of the sessions and messages tables as the domain's values.
import type { Message, Role } from '../../domain/message.js';
import type { Session } from '../../domain/session.js';

export type Row = Record<string, unknown>;
export const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null));

export function toSession(row: Row): Session {
  return {
    projectId: row.project_id as string,
    id: row.id as string,
    title: row.title as string,
    description: (row.description as string | null) ?? null,
    metadata: row.metadata as Session['metadata'],
    isActive: row.is_active as boolean,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    version: row.version as number,
    messageCount: row.message_count as number,
    lastMessageAt: iso(row.last_message_at),
    messagesByRole: {
      user: row.user_count as number,
      assistant: row.assistant_count as number,
      system: row.system_count as number,
      tool: row.tool_count as number,
    },
  };
}

export function toMessage(row: Row): Message {
  return {
    projectId: row.project_id as string,
    sessionId: row.session_id as string,
    id: row.id as string,
    sequence: row.seq as number,
    role: row.role as Role,
    content: row.content as string,
    metadata: row.metadata as Message['metadata'],
    createdAt: iso(row.created_at)!,
    clientMessageId: (row.client_message_id as string | null) ?? null,
  };
}

export const SESSION_COLUMNS = 'project_id, id, title, description, metadata, is_active, created_at, updated_at, version, message_count, last_message_at, user_count, assistant_count, system_count, tool_count';
