// GET /shared/<token>: a share link as a small read-only HTML page, rendered on the server (no script), so a link
// opens in any browser. Every text from the store is escaped; the page forbids scripts outright by its CSP.
import type { Message } from '../domain/message.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The page's security headers: no script, no frame, no referrer carrying the token elsewhere. */
export const SHARED_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
};

export function renderSharedPage(shared: { title: string; sharedAt: string; messages: Message[] }): string {
  const messages = shared.messages
    .map(
      (m) => `<li class="${m.role}"><div class="role">${escapeHtml(m.role)}</div><div class="content">${escapeHtml(m.content)}</div></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(shared.title)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin-bottom: .25rem; }
.meta { color: #59636e; font-size: .9rem; margin-bottom: 1.5rem; }
ol { list-style: none; padding: 0; }
li { margin: 0 0 1rem; padding: .75rem 1rem; border-radius: .5rem; background: #f6f8fa; }
li.user { background: #ddf4ff; }
.role { font-size: .75rem; text-transform: uppercase; color: #59636e; }
.content { white-space: pre-wrap; overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>${escapeHtml(shared.title)}</h1>
<div class="meta">Shared conversation, read-only, as of ${escapeHtml(shared.sharedAt)}</div>
<ol aria-label="Messages">
${messages}
</ol>
</body>
</html>
`;
}

export const NOT_FOUND_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Link not found</title></head>
<body><h1>This link does not exist, was revoked or has expired.</h1></body></html>
`;
