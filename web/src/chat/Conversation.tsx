// One chat: its title and actions (rename, pin, tags, archive, delete, share, export), the messages of its active
// branch (older ones loaded on scroll with branch(before:)), editing and regenerating as new branches with a
// "2 / 3" switcher, streamed replies that grow live in every tab, and the composer.
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ReportError } from '../App';
import { accessToken, request, subscribe } from '../api/client';
import { AddMessageMutation, ConversationQuery, CreateShareLinkMutation, DeleteSessionMutation, MessageStreamSubscription, NewestLeafQuery, SetActiveLeafMutation, UpdateSessionMutation } from '../api/operations';
import type { ConversationQuery as ConversationData, UpdateSessionInput } from '../gql/graphql';
import { chatPath, navigate } from '../route';
import { isDemoWriting, resumeDemoReply, startDemoReply, stopDemoReply } from './demo-writer';

type SessionData = NonNullable<ConversationData['session']>;
type ChatMessage = SessionData['branch']['edges'][number]['node'];

const PAGE = 30;

interface Props {
  projectId: string;
  sessionId: string;
  /** Bumped when this chat changed elsewhere (live events, reconnects): read its newest messages again. */
  version: number;
  report: ReportError;
}

export function Conversation({ projectId, sessionId, version, report }: Props) {
  const [session, setSession] = useState<SessionData | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [older, setOlder] = useState<{ hasMore: boolean; cursor: string | null }>({ hasMore: false, cursor: null });
  const [missing, setMissing] = useState(false);
  const [reloads, setReloads] = useState(0);
  const loaded = useRef(0);
  const list = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const keepOffset = useRef<number | null>(null);

  // The newest messages of the active branch (as many as are shown, so that a live update keeps what was scrolled to).
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and reloads say when to read again
  useEffect(() => {
    let current = true;
    request(ConversationQuery, { projectId, sessionId, last: Math.min(Math.max(PAGE, loaded.current), 500) })
      .then((data) => {
        if (!current) return;
        if (!data.session) {
          setMissing(true);
          return;
        }
        setSession(data.session);
        setMessages(data.session.branch.edges.map((e) => e.node));
        loaded.current = data.session.branch.edges.length;
        setOlder({ hasMore: data.session.branch.pageInfo.hasPreviousPage, cursor: data.session.branch.pageInfo.startCursor ?? null });
      })
      .catch((error) => current && report(error));
    return () => {
      current = false;
    };
  }, [projectId, sessionId, version, reloads, report]);

  const reload = useCallback(() => setReloads((r) => r + 1), []);

  const loadOlder = useCallback(async () => {
    if (!older.hasMore || !older.cursor) return;
    try {
      const data = await request(ConversationQuery, { projectId, sessionId, last: PAGE, before: older.cursor });
      if (!data.session) return;
      const page = data.session.branch.edges.map((e) => e.node);
      keepOffset.current = list.current ? list.current.scrollHeight - list.current.scrollTop : null;
      setMessages((shown) => [...page.filter((m) => !shown.some((s) => s.id === m.id)), ...shown]);
      loaded.current += page.length;
      setOlder({ hasMore: data.session.branch.pageInfo.hasPreviousPage, cursor: data.session.branch.pageInfo.startCursor ?? null });
    } catch (error) {
      report(error);
    }
  }, [older, projectId, sessionId, report]);

  // Newest at the bottom: follow new messages while the reader is at the bottom; keep the place when older ones load.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of the messages shown
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    if (keepOffset.current !== null) {
      element.scrollTop = element.scrollHeight - keepOffset.current;
      keepOffset.current = null;
    } else if (stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages]);

  const onScroll = () => {
    const element = list.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    if (element.scrollTop < 80) void loadOlder();
  };

  // Streamed messages grow through messageStream from the last chunk shown; a lost stream reads the chat again.
  const streamingKey = messages
    .filter((m) => m.status === 'STREAMING')
    .map((m) => m.id)
    .join(',');
  const streamingRef = useRef(messages);
  streamingRef.current = messages;
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscriptions follow which messages stream, not each chunk
  useEffect(() => {
    const subscriptions = streamingRef.current
      .filter((m) => m.status === 'STREAMING')
      .map((m) => {
        resumeDemoReply(projectId, sessionId, m.id, m.chunkCount);
        return subscribe(
          MessageStreamSubscription,
          { projectId, sessionId, messageId: m.id, afterIndex: m.chunkCount - 1 },
          ({ messageStream: event }) => {
            setMessages((shown) =>
              shown.map((s) => {
                if (s.id !== event.message.id) return s;
                if (event.message.status !== 'STREAMING') return event.message;
                // Each chunk once, in order: one already shown (or out of order) is not added again.
                if (event.chunk && event.chunk.index === s.chunkCount) return { ...s, content: s.content + event.chunk.chunk, chunkCount: s.chunkCount + 1 };
                return s;
              }),
            );
          },
          () => setTimeout(reload, 500),
        );
      });
    return () => {
      for (const s of subscriptions) s.close();
    };
  }, [streamingKey, projectId, sessionId, reload]);

  if (missing) {
    return (
      <div className="empty-chat">
        <h1>Chat not found</h1>
        <p>It may have been deleted; the trash keeps deleted chats for a while.</p>
      </div>
    );
  }
  if (!session) return <p className="hint loading">Loading…</p>;

  const lastId = messages.at(-1)?.id ?? null;
  const streaming = messages.find((m) => m.status === 'STREAMING' && isDemoWriting(m.id)) ?? null;

  return (
    <section className="conversation" aria-label={session.title}>
      <ChatHeader projectId={projectId} session={session} onChanged={(s) => setSession((old) => (old ? { ...old, ...s } : old))} onConflict={reload} report={report} />
      <div className="messages" ref={list} onScroll={onScroll}>
        {older.hasMore && (
          <button type="button" className="messages__older" onClick={loadOlder}>
            Load older messages
          </button>
        )}
        <ol aria-label="Messages">
          {messages.length === 0 && <li className="hint messages__empty">No messages yet. Say something below.</li>}
          {messages.map((message) => (
            <MessageItem key={message.id} projectId={projectId} sessionId={sessionId} message={message} onChanged={reload} report={report} />
          ))}
        </ol>
      </div>
      <Composer
        projectId={projectId}
        sessionId={sessionId}
        lastId={lastId}
        streaming={streaming}
        onSent={(message) => {
          stickToBottom.current = true;
          setMessages((shown) => (shown.some((s) => s.id === message.id) ? shown : [...shown, message]));
        }}
        report={report}
      />
    </section>
  );
}

function ChatHeader({
  projectId,
  session,
  onChanged,
  onConflict,
  report,
}: {
  projectId: string;
  session: SessionData;
  onChanged: (session: Partial<SessionData>) => void;
  onConflict: () => void;
  report: ReportError;
}) {
  const [editing, setEditing] = useState<'title' | 'tags' | null>(null);
  const [draft, setDraft] = useState('');
  const [shareUrl, setShareUrl] = useState<string | null>(null);

  const update = async (input: UpdateSessionInput) => {
    try {
      const data = await request(UpdateSessionMutation, { projectId, id: session.id, input: { ...input, expectedVersion: session.version } });
      const result = data.updateSession;
      if (result.__typename === 'UpdateSessionSuccess') onChanged(result.session);
      else if (result.__typename === 'ConflictError') {
        onConflict();
        report(new Error('This chat was changed elsewhere; it has been reloaded. Try again.'));
      } else report(new Error('error' in result ? result.error : 'could not update the chat'));
    } catch (error) {
      report(error);
    }
  };

  const remove = async () => {
    try {
      const data = await request(DeleteSessionMutation, { projectId, id: session.id });
      if (data.deleteSession.__typename !== 'DeleteSessionSuccess') throw new Error('error' in data.deleteSession ? data.deleteSession.error : 'could not delete');
      navigate(chatPath(projectId));
    } catch (error) {
      report(error);
    }
  };

  const share = async () => {
    try {
      const data = await request(CreateShareLinkMutation, { projectId, sessionId: session.id });
      const result = data.createShareLink;
      if (result.__typename !== 'CreateShareLinkSuccess') throw new Error('error' in result ? result.error : 'could not share');
      setShareUrl(`${location.origin}/shared/${encodeURIComponent(result.token)}`);
    } catch (error) {
      report(error);
    }
  };

  const download = async (format: 'json' | 'markdown') => {
    try {
      const token = accessToken();
      const url = `/api/projects/${encodeURIComponent(projectId)}/sessions/${encodeURIComponent(session.id)}/export?format=${format}`;
      const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) throw new Error(`Export failed (${response.status})`);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `chat.${format === 'json' ? 'json' : 'md'}`;
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      report(error);
    }
  };

  const edit = (what: 'title' | 'tags', text: string) => {
    setDraft(text);
    setEditing(what);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (editing === 'title' && draft.trim()) void update({ title: draft.trim() });
    if (editing === 'tags') {
      void update({
        tags: draft
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      });
    }
    setEditing(null);
  };

  return (
    <header className="chat-header">
      <a className="chat-header__back" href={chatPath(projectId)} onClick={(e) => {
          e.preventDefault();
          navigate(chatPath(projectId));
        }}>
        ‹ Chats
      </a>
      {editing ? (
        <form className="chat-header__edit" onSubmit={submit}>
          <label>
            {editing === 'title' ? 'Title' : 'Tags (comma-separated)'}
            {/* biome-ignore lint/a11y/noAutofocus: opened by the user's own click */}
            <input autoFocus value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setEditing(null)} />
          </label>
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="chat-header__title">
          <h1>{session.title}</h1>
          {session.tags.length > 0 && (
            <ul className="tags" aria-label="Tags">
              {session.tags.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
          {!session.isActive && <span className="badge">archived</span>}
        </div>
      )}
      <div className="chat-header__actions" role="toolbar" aria-label="Chat actions">
        <button type="button" onClick={() => edit('title', session.title)}>
          Rename
        </button>
        <button type="button" aria-pressed={session.pinned} onClick={() => update({ pinned: !session.pinned })}>
          {session.pinned ? 'Unpin' : 'Pin'}
        </button>
        <button type="button" onClick={() => edit('tags', session.tags.join(', '))}>
          Tags
        </button>
        <button type="button" onClick={() => update({ isActive: !session.isActive })}>
          {session.isActive ? 'Archive' : 'Unarchive'}
        </button>
        <button type="button" onClick={share}>
          Share
        </button>
        <button type="button" onClick={() => download('json')}>
          Export JSON
        </button>
        <button type="button" onClick={() => download('markdown')}>
          Export Markdown
        </button>
        <button type="button" className="danger" onClick={remove}>
          Delete
        </button>
      </div>
      {shareUrl && (
        <div className="share">
          <label>
            Share link
            <input readOnly value={shareUrl} onFocus={(e) => e.target.select()} />
          </label>
          <button type="button" onClick={() => setShareUrl(null)}>
            Close
          </button>
        </div>
      )}
    </header>
  );
}

function MessageItem({ projectId, sessionId, message, onChanged, report }: { projectId: string; sessionId: string; message: ChatMessage; onChanged: () => void; report: ReportError }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);

  const switchTo = async (offset: number) => {
    const sibling = message.siblingIds[message.siblingIndex + offset];
    if (!sibling) return;
    try {
      // The version is shown with what followed it: the branch last written through it, not the version alone.
      const found = await request(NewestLeafQuery, { projectId, sessionId, messageId: sibling });
      const target = found.session?.branch.edges.at(-1)?.node.newestLeafId ?? sibling;
      const data = await request(SetActiveLeafMutation, { projectId, sessionId, messageId: target });
      if (data.setActiveLeaf.__typename !== 'SetActiveLeafSuccess') throw new Error('error' in data.setActiveLeaf ? data.setActiveLeaf.error : 'could not switch');
      onChanged();
    } catch (error) {
      report(error);
    }
  };

  const sendEdit = async () => {
    const content = draft.trim();
    if (!content) return;
    try {
      const parent = message.parentId ? { parentId: message.parentId } : { root: true };
      const data = await request(AddMessageMutation, { projectId, sessionId, input: { role: 'USER', content, ...parent } });
      if (data.addMessage.__typename !== 'AddMessageSuccess') throw new Error('error' in data.addMessage ? data.addMessage.error : 'could not send');
      setEditing(false);
      onChanged();
    } catch (error) {
      report(error);
    }
  };

  const regenerate = async () => {
    try {
      await startDemoReply(projectId, sessionId, message.parentId, message.parentId === null);
      onChanged();
    } catch (error) {
      report(error);
    }
  };

  const onEditKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void sendEdit();
    } else if (event.key === 'Escape') setEditing(false);
  };

  return (
    <li className={`message message--${message.role.toLowerCase()}`}>
      <div className="message__meta">
        <span className="message__role">{message.role === 'USER' ? 'You' : message.role.charAt(0) + message.role.slice(1).toLowerCase()}</span>
        {message.status === 'STREAMING' && <span className="badge">streaming</span>}
        {message.status === 'INCOMPLETE' && <span className="badge">stopped</span>}
        {message.siblingCount > 1 && (
          <span className="switcher">
            <button type="button" aria-label="Previous version" disabled={message.siblingIndex === 0} onClick={() => switchTo(-1)}>
              ‹
            </button>
            <span>
              {message.siblingIndex + 1} / {message.siblingCount}
            </span>
            <button type="button" aria-label="Next version" disabled={message.siblingIndex === message.siblingCount - 1} onClick={() => switchTo(1)}>
              ›
            </button>
          </span>
        )}
      </div>
      {editing ? (
        <div className="message__edit">
          {/* biome-ignore lint/a11y/noAutofocus: opened by the user's own click on Edit */}
          <textarea aria-label="Edit message" autoFocus value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onEditKey} rows={3} />
          <div>
            <button type="button" className="primary" onClick={sendEdit}>
              Save and send
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="message__content">{message.content}</div>
      )}
      {!editing && message.status !== 'STREAMING' && (
        <div className="message__actions">
          {message.role === 'USER' && (
            <button
              type="button"
              onClick={() => {
                setDraft(message.content);
                setEditing(true);
              }}
            >
              Edit
            </button>
          )}
          {message.role === 'ASSISTANT' && (
            <button type="button" onClick={regenerate}>
              Regenerate
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function Composer({
  projectId,
  sessionId,
  lastId,
  streaming,
  onSent,
  report,
}: {
  projectId: string;
  sessionId: string;
  lastId: string | null;
  streaming: ChatMessage | null;
  onSent: (message: ChatMessage) => void;
  report: ReportError;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);

  const send = async () => {
    const content = text.trim();
    if (!content || sending) return;
    setSending(true);
    try {
      // A retry of the same send (a network failure after the server stored it) is stored once.
      const clientMessageId = crypto.randomUUID();
      const data = await request(AddMessageMutation, { projectId, sessionId, input: { role: 'USER', content, clientMessageId } });
      if (data.addMessage.__typename !== 'AddMessageSuccess') throw new Error('error' in data.addMessage ? data.addMessage.error : 'could not send');
      setText('');
      onSent(data.addMessage.message);
    } catch (error) {
      report(error);
    } finally {
      setSending(false);
    }
  };

  const onKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const demo = async () => {
    try {
      await startDemoReply(projectId, sessionId, lastId, false);
    } catch (error) {
      report(error);
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <textarea aria-label="Message" placeholder="Write a message (Enter sends, Shift+Enter is a new line)" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} rows={2} />
      <div className="composer__buttons">
        <button type="submit" className="primary" disabled={sending || !text.trim()}>
          Send
        </button>
        {streaming ? (
          <button type="button" onClick={() => stopDemoReply(projectId, sessionId, streaming.id).catch(report)}>
            Stop
          </button>
        ) : (
          <button type="button" onClick={demo} aria-describedby="demo-note">
            Stream a demo reply
          </button>
        )}
        <span id="demo-note" className="hint composer__note">
          Demo: a canned reply written by this page. No model is called.
        </span>
      </div>
    </form>
  );
}
