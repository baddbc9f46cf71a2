// The app's frame: the token prompt when the server asks for one, the chat list beside the open chat, and the one
// live subscription to the project's events that tells both when to read again.
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { setAccessToken, subscribe, UnauthenticatedError } from './api/client';
import { SessionEventsSubscription } from './api/operations';
import { ChatList } from './chat/ChatList';
import { Conversation } from './chat/Conversation';
import { chatPath, useRoute } from './route';

/** What a view needs to report trouble: a token prompt for 401, a message for anything else. */
export type ReportError = (error: unknown) => void;

export function App() {
  const route = useRoute();
  const [needsToken, setNeedsToken] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [listVersion, setListVersion] = useState(0);
  const [chatVersions, setChatVersions] = useState<ReadonlyMap<string, number>>(new Map());
  /** Bumped each time the subscription is made again after a loss: every view reads again. */
  const [resyncs, setResyncs] = useState(0);
  const [connected, setConnected] = useState(true);

  const report = useCallback<ReportError>((error) => {
    if (error instanceof UnauthenticatedError) setNeedsToken(true);
    else setNotice(error instanceof Error ? error.message : String(error));
  }, []);

  // One subscription to the project's session events. When it is lost it is made again after a pause, and both the
  // list and the open chat read again: whatever happened meanwhile is caught up, nothing is counted twice.
  const reconnects = useRef(0);
  useEffect(() => {
    if (needsToken) return;
    let subscription: { close(): void } | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const start = () => {
      subscription = subscribe(
        SessionEventsSubscription,
        { projectId: route.projectId },
        ({ sessionEvents: event }) => {
          if (event.kind === 'CREATED' || event.kind === 'UPDATED' || event.kind === 'DELETED' || event.kind === 'MESSAGE_ADDED') setListVersion((v) => v + 1);
          if (event.kind !== 'CREATED') setChatVersions((versions) => new Map(versions).set(event.sessionId, (versions.get(event.sessionId) ?? 0) + 1));
        },
        () => {
          setConnected(false);
          const delay = Math.min(10_000, 500 * 2 ** reconnects.current++);
          timer = setTimeout(() => {
            start();
            setResyncs((r) => r + 1);
          }, delay);
        },
        () => {
          setConnected(true);
          reconnects.current = 0;
        },
      );
    };
    start();
    return () => {
      clearTimeout(timer);
      subscription?.close();
    };
  }, [route.projectId, needsToken]);

  if (needsToken) {
    return (
      <TokenForm
        onToken={(token) => {
          setAccessToken(token);
          setNeedsToken(false);
          setListVersion((v) => v + 1);
        }}
      />
    );
  }

  return (
    <div className={`layout${route.sessionId ? ' layout--chat-open' : ''}`}>
      <ChatList projectId={route.projectId} activeSessionId={route.sessionId} version={listVersion + resyncs} report={report} />
      <main className="chat-pane">
        {notice && (
          <div className="notice" role="alert">
            <span>{notice}</span>
            <button type="button" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
        {!connected && (
          <p className="offline" role="status">
            Reconnecting…
          </p>
        )}
        {route.sessionId ? (
          <Conversation
            key={`${route.projectId}/${route.sessionId}`}
            projectId={route.projectId}
            sessionId={route.sessionId}
            version={(chatVersions.get(route.sessionId) ?? 0) + resyncs}
            report={report}
          />
        ) : (
          <div className="empty-chat">
            <h1>Project “{route.projectId}”</h1>
            <p>Pick a chat on the left, or start a new one.</p>
            <p className="hint">
              This app is a reference: everything it does goes through the public GraphQL API at <a href="/graphql">/graphql</a>. Projects live at{' '}
              <code>{chatPath('your-project')}</code>.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}

function TokenForm({ onToken }: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <main className="token-form">
      <form onSubmit={submit}>
        <h1>Sign in</h1>
        <p>This server asks for an access token. It is kept in this tab only (sessionStorage).</p>
        <label>
          Access token
          {/* biome-ignore lint/a11y/noAutofocus: the only field of the page */}
          <input type="password" autoFocus autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
        <button type="submit">Continue</button>
      </form>
    </main>
  );
}
