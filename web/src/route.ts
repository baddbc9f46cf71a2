// The app's addresses: /p/<projectId> (a project's chats) and /p/<projectId>/c/<sessionId> (one chat).
import { useEffect, useState } from 'react';

export interface Route {
  projectId: string;
  sessionId: string | null;
}

export function parseRoute(pathname: string): Route {
  const match = /^\/p\/([^/]+)(?:\/c\/([^/]+))?\/?$/.exec(pathname);
  if (!match) return { projectId: 'default', sessionId: null };
  return { projectId: decodeURIComponent(match[1]!), sessionId: match[2] ? decodeURIComponent(match[2]) : null };
}

export function chatPath(projectId: string, sessionId?: string | null): string {
  const project = `/p/${encodeURIComponent(projectId)}`;
  return sessionId ? `${project}/c/${encodeURIComponent(sessionId)}` : project;
}

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, following links and the back button. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    if (!/^\/p\/[^/]+/.test(location.pathname)) history.replaceState(null, '', chatPath(route.projectId));
    const follow = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', follow);
    return () => removeEventListener('popstate', follow);
  }, [route.projectId]);
  return route;
}
