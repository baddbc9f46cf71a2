// Domain objects as the legacy clients expect them: snake_case, ISO 8601 UTC timestamps.
import type { Message } from '../domain/message.js';
import type { Session } from '../domain/session.js';
import type { ProjectStats } from '../domain/stats.js';

export function toChatSession(s: Session) {
  return {
    id: s.id,
    project_id: s.projectId,
    title: s.title,
    description: s.description,
    metadata: s.metadata,
    is_active: s.isActive,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    version: s.version,
    message_count: s.messageCount,
    last_message_at: s.lastMessageAt,
    active_leaf_id: s.activeLeafId,
  };
}

export function toMessage(m: Message) {
  return {
    id: m.id,
    session_id: m.sessionId,
    project_id: m.projectId,
    sequence: m.sequence,
    role: m.role,
    content: m.content,
    metadata: m.metadata,
    created_at: m.createdAt,
    client_message_id: m.clientMessageId,
    parent_id: m.parentId,
    status: m.status,
    updated_at: m.updatedAt,
  };
}

export function toProjectStats(s: ProjectStats) {
  return {
    project_id: s.projectId,
    total_sessions: s.totalSessions,
    active_sessions: s.activeSessions,
    inactive_sessions: s.inactiveSessions,
    total_messages: s.totalMessages,
    messages_by_role: s.messagesByRole,
    last_activity_at: s.lastActivityAt,
  };
}

/** The ETag of a session: its version, quoted. */
export function etagOf(s: Session): string {
  return `"${s.version}"`;
}
