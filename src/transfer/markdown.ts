// A conversation's active branch as readable Markdown: the title, then each message under its role and time.
import type { Message } from '../domain/message.js';
import type { Session } from '../domain/session.js';

const ROLE_NAMES = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool' } as const;

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The Markdown of a session's active branch (`branch`: its messages, first to leaf). */
export function toMarkdown(session: Session, branch: readonly Message[]): string {
  const lines = [`# ${session.title.replace(/\s+/g, ' ')}`, ''];
  if (session.description) lines.push(session.description, '');
  const tags = session.tags.length > 0 ? ` · tags: ${session.tags.join(', ')}` : '';
  lines.push(`_${branch.length} messages on the active branch (of ${session.messageCount}) · created ${when(session.createdAt)}${tags}_`, '');
  for (const message of branch) {
    const status = message.status === 'complete' ? '' : ` (${message.status})`;
    lines.push(`## ${ROLE_NAMES[message.role]} · ${when(message.createdAt)}${status}`, '', message.content, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
