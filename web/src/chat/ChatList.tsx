// The left column: "New chat", search with highlighted snippets, the chat list (pinned first) with a tag filter,
// the archived chats, the trash with restore, and importing a ChatGPT or Open WebUI export.
import { type ChangeEvent, type MouseEvent, useEffect, useState } from 'react';
import type { ReportError } from '../App';
import { request } from '../api/client';
import { ChatListQuery, CreateSessionMutation, ImportConversationsMutation, RestoreSessionMutation, SearchQuery, TrashQuery } from '../api/operations';
import type { ChatListQuery as ChatListData, SearchQuery as SearchData, TrashQuery as TrashData } from '../gql/graphql';
import { chatPath, navigate } from '../route';

type View = 'chats' | 'archived' | 'trash';
type ListedSession = ChatListData['project']['sessionsPage']['edges'][number]['node'];
type Hit = SearchData['project']['search']['edges'][number]['node'];
type Trashed = TrashData['project']['trash']['edges'][number]['node'];

interface Props {
  projectId: string;
  activeSessionId: string | null;
  /** Bumped when the project's sessions changed (live events, reconnects): read the list again. */
  version: number;
  report: ReportError;
}

/** A link the app follows itself (no page load), keeping ctrl/cmd-click for a new tab. */
function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.pathname);
}

export function ChatList({ projectId, activeSessionId, version, report }: Props) {
  const [view, setView] = useState<View>('chats');
  const [tag, setTag] = useState('');
  const [sessions, setSessions] = useState<ListedSession[] | null>(null);
  const [tags, setTags] = useState<{ tag: string; count: number }[]>([]);
  const [trash, setTrash] = useState<Trashed[]>([]);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version and refresh say when to read again
  useEffect(() => {
    let current = true;
    const load = async () => {
      if (view === 'trash') {
        const data = await request(TrashQuery, { projectId });
        if (current) setTrash(data.project.trash.edges.map((e) => e.node));
        return;
      }
      const filter = { ...(view === 'archived' ? { onlyInactive: true } : {}), ...(tag ? { tags: [tag] } : {}) };
      const data = await request(ChatListQuery, { projectId, filter, first: 200 });
      if (!current) return;
      setSessions(data.project.sessionsPage.edges.map((e) => e.node));
      setTags(data.project.tags);
    };
    // Events come in bursts (an import, a busy project): one read for a burst, a moment after its last event.
    const timer = setTimeout(() => load().catch((error) => current && report(error)), 100);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [projectId, view, tag, version, refresh, report]);

  // Search as the user types, a moment after the last key (and again when the project changed).
  // biome-ignore lint/correctness/useExhaustiveDependencies: version says when to search again
  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setHits(null);
      setSearchNote(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      request(SearchQuery, { projectId, query: text })
        .then((data) => {
          if (!current) return;
          setHits(data.project.search.edges.map((e) => e.node));
          setSearchNote(null);
        })
        .catch((error: unknown) => {
          if (!current) return;
          // A query the server cannot take (only exclusions, too long) or an index still catching up: say so here.
          setHits([]);
          setSearchNote(error instanceof Error ? error.message : String(error));
        });
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [projectId, query, version]);

  const newChat = async () => {
    try {
      const data = await request(CreateSessionMutation, { projectId, title: 'New chat' });
      const result = data.createSession;
      if (result.__typename !== 'CreateSessionSuccess') throw new Error('error' in result ? result.error : 'could not create the chat');
      setView('chats');
      setRefresh((r) => r + 1);
      navigate(chatPath(projectId, result.session.id));
    } catch (error) {
      report(error);
    }
  };

  const restore = async (id: string) => {
    try {
      const data = await request(RestoreSessionMutation, { projectId, id });
      const result = data.restoreSession;
      if (result.__typename !== 'RestoreSessionSuccess') throw new Error('error' in result ? result.error : 'could not restore the chat');
      setRefresh((r) => r + 1);
    } catch (error) {
      report(error);
    }
  };

  return (
    <nav className="sidebar" aria-label="Chats">
      <div className="sidebar__top">
        <button type="button" className="primary" onClick={newChat}>
          New chat
        </button>
        <input type="search" aria-label="Search" placeholder="Search messages and titles" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>

      {hits !== null ? (
        <section aria-label="Search results" className="search-results">
          {searchNote && <p className="hint">{searchNote}</p>}
          {hits.length === 0 && !searchNote && <p className="hint">No matches.</p>}
          <ul>
            {hits.map((hit) => (
              <li key={`${hit.session.id}:${hit.message?.id ?? 'title'}`}>
                <a href={chatPath(projectId, hit.session.id)} onClick={followLink}>
                  <span className="search-results__title">{hit.session.title}</span>
                  <Snippet text={hit.snippet} highlights={hit.highlights} />
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <>
          <fieldset className="sidebar__views">
            <legend className="visually-hidden">Show</legend>
            {(['chats', 'archived', 'trash'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
                {v === 'chats' ? 'Chats' : v === 'archived' ? 'Archived' : 'Trash'}
              </button>
            ))}
          </fieldset>
          {view !== 'trash' && tags.length > 0 && (
            <label className="sidebar__tags">
              Tag
              <select value={tag} onChange={(e) => setTag(e.target.value)}>
                <option value="">All</option>
                {tags.map((t) => (
                  <option key={t.tag} value={t.tag}>
                    {t.tag} ({t.count})
                  </option>
                ))}
              </select>
            </label>
          )}
          {view === 'trash' ? (
            <ul className="chat-list" aria-label="Trash">
              {trash.length === 0 && <li className="hint">The trash is empty.</li>}
              {trash.map((item) => (
                <li key={item.session.id} className="chat-list__trashed">
                  <span>{item.session.title}</span>
                  <button type="button" onClick={() => restore(item.session.id)} aria-label={`Restore ${item.session.title}`}>
                    Restore
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <ul className="chat-list">
              {sessions?.length === 0 && <li className="hint">{view === 'archived' ? 'No archived chats.' : 'No chats yet.'}</li>}
              {sessions?.map((session) => (
                <li key={session.id}>
                  <a href={chatPath(projectId, session.id)} onClick={followLink} aria-current={session.id === activeSessionId ? 'page' : undefined}>
                    {session.title}
                  </a>
                  {session.pinned && (
                    <span className="badge" title="Pinned">
                      pinned
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <ImportBox projectId={projectId} report={report} onImported={() => setRefresh((r) => r + 1)} />
    </nav>
  );
}

/** A snippet with its matched words in <mark>. */
function Snippet({ text, highlights }: { text: string; highlights: readonly { start: number; end: number }[] }) {
  const parts: (string | { mark: string })[] = [];
  let at = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    parts.push(text.slice(at, start), { mark: text.slice(start, end) });
    at = end;
  }
  parts.push(text.slice(at));
  return (
    <span className="snippet">
      {parts.map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never move
        typeof part === 'string' ? part : <mark key={i}>{part.mark}</mark>,
      )}
    </span>
  );
}

type Report = Extract<Awaited<ReturnType<typeof importFile>>['importConversations'], { __typename: 'ImportConversationsSuccess' }>['report'];

function importFile(projectId: string, file: File) {
  return request(ImportConversationsMutation, { projectId, file });
}

function ImportBox({ projectId, report, onImported }: { projectId: string; report: ReportError; onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Report | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    setResult(null);
    setFailure(null);
    try {
      const data = await importFile(projectId, file);
      const answer = data.importConversations;
      if (answer.__typename === 'ImportConversationsSuccess') {
        setResult(answer.report);
        onImported();
      } else setFailure('error' in answer ? answer.error : 'the file could not be read');
    } catch (error) {
      report(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="import">
      <label>
        Import conversations
        <input type="file" accept=".json,.jsonl,.ndjson,.zip,application/json,application/zip" onChange={pick} disabled={busy} />
      </label>
      <p className="hint">A ChatGPT or Open WebUI export (conversations.json or its .zip), or this service's own.</p>
      <div role="status" aria-label="Import report">
        {busy && <p>Importing…</p>}
        {failure && <p className="error">{failure}</p>}
        {result && (
          <div className="import__report">
            <p>
              Imported {result.imported} conversation{result.imported === 1 ? '' : 's'} ({result.messages} messages) from {result.format.toLowerCase().replace('_', ' ')}
              {result.skipped > 0 ? `, skipped ${result.skipped} already here` : ''}.
            </p>
            {result.problems.length > 0 && (
              <ul>
                {result.problems.map((p) => (
                  <li key={`${p.item}:${p.message}`}>
                    {p.item}: {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
