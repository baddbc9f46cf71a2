// The legacy REST shim: an OpenAPIHono sub-app mapping HTTP to the chat service; it holds no rule of its own.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import type { Context } from 'hono';
import type { Access } from '../domain/access.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { ChatService } from '../service/chat-service.js';
import { createDocsApp } from './docs.js';
import { errorResponse, fromZodIssues, RestError, RestValidationError } from './errors.js';
import {
  addMessageRoute,
  createSessionRoute,
  deleteSessionRoute,
  fullSessionRoute,
  getSessionRoute,
  listMessagesRoute,
  listSessionsRoute,
  exportProjectRoute,
  exportSessionRoute,
  projectStatsRoute,
  updateSessionRoute,
} from './routes.js';
import { etagOf, toChatSession, toMessage, toProjectStats } from './serialize.js';

export interface RestAppOptions {
  service: ChatService;
  logger: Logger;
  /** Access of a request the auth middleware did not authenticate (only open paths, which never use it). */
  defaultAccess: Access;
}

type RestEnv = { Variables: { requestId: string; access?: Access } };

/** Parses If-Match: `*` or absent means unconditional; otherwise a quoted (optionally weak) version number. */
function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?([1-9][0-9]{0,9})"?\s*$/.exec(ifMatch);
  if (!match) throw new RestError(400, 'If-Match must name a version as sent in ETag, e.g. "3"');
  return Number(match[1]);
}

export function createRestApp({ service, logger, defaultAccess }: RestAppOptions) {
  const app = new OpenAPIHono<RestEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      if (result.target === 'param') {
        const name = String(result.error.issues[0]?.path[0] ?? 'id');
        throw new RestError(400, `Invalid ${name}: must be 1-128 characters of A-Z, a-z, 0-9, '_' or '-', starting with a letter or digit`);
      }
      throw new RestValidationError(fromZodIssues(result.target === 'json' ? 'body' : result.target, result.error.issues));
    },
  });
  app.onError((error, c) => errorResponse(error, c, logger, c.get('requestId')));
  // The service acting for this request's caller.
  const as = (c: Context<RestEnv>) => service.forAccess(c.get('access') ?? defaultAccess);

  app.openapi(createSessionRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (body.project_id != null && body.project_id !== project_id) {
      throw new RestError(400, `project_id in the body (${body.project_id}) does not match the path (${project_id})`);
    }
    const session = await as(c).createSession(project_id, { title: body.title, description: body.description, metadata: body.metadata });
    c.header('ETag', etagOf(session));
    return c.json(toChatSession(session), 201);
  });

  app.openapi(listSessionsRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    const { include_inactive } = c.req.valid('query');
    const sessions = await as(c).listSessions(project_id, { includeInactive: include_inactive ?? false });
    return c.json(sessions.map(toChatSession), 200);
  });

  app.openapi(getSessionRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const session = await as(c).getSession(project_id, session_id);
    if (!session) throw NotFoundError.session(project_id, session_id);
    c.header('ETag', etagOf(session));
    return c.json(toChatSession(session), 200);
  });

  app.openapi(updateSessionRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const expectedVersion = expectedVersionOf(c.req.valid('header')['if-match']);
    const body = c.req.valid('json');
    const input = { title: body.title, description: body.description, metadata: body.metadata, isActive: body.is_active, expectedVersion };
    const session = await as(c).updateSession(project_id, session_id, input).catch((error: unknown) => {
      throw error instanceof ConflictError ? new RestError(412, error.message) : error;
    });
    if (!session) throw NotFoundError.session(project_id, session_id);
    c.header('ETag', etagOf(session));
    return c.json(toChatSession(session), 200);
  });

  app.openapi(deleteSessionRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const { force } = c.req.valid('query');
    const deleted = await as(c).deleteSession(project_id, session_id, { force: force ?? false }).catch((error: unknown) => {
      throw error instanceof ConflictError ? new RestError(400, `${error.message} (force=true)`) : error;
    });
    if (!deleted) throw NotFoundError.session(project_id, session_id);
    return c.json({ message: 'Session deleted successfully' as const }, 200);
  });

  app.openapi(addMessageRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const body = c.req.valid('json');
    const input = { role: body.role, content: body.content, metadata: body.metadata, clientMessageId: body.client_message_id, parentId: body.parent_id };
    const { message, deduplicated } = await as(c).addMessage(project_id, session_id, input);
    return c.json(toMessage(message), deduplicated ? 200 : 201);
  });

  app.openapi(listMessagesRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const { limit, offset } = c.req.valid('query');
    const messages = await as(c).getMessages(project_id, session_id, { limit, offset });
    return c.json(messages.map(toMessage), 200);
  });

  app.openapi(fullSessionRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const full = await as(c).getSessionWithMessages(project_id, session_id);
    if (!full) throw NotFoundError.session(project_id, session_id);
    return c.json({ session: toChatSession(full.session), messages: full.messages.map(toMessage) }, 200);
  });

  app.openapi(projectStatsRoute, async (c) => {
    const { project_id } = c.req.valid('param');
    return c.json(toProjectStats(await as(c).projectStats(project_id)), 200);
  });

  app.openapi(exportSessionRoute, async (c) => {
    const { project_id, session_id } = c.req.valid('param');
    const { format } = c.req.valid('query');
    if (format === 'markdown') {
      const exported = await as(c).exportMarkdown(project_id, session_id);
      if (!exported) throw NotFoundError.session(project_id, session_id);
      return c.body(exported.markdown, 200, { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': attachment(exported.session.title, 'md') });
    }
    const exported = await as(c).exportSession(project_id, session_id);
    if (!exported) throw NotFoundError.session(project_id, session_id);
    const body = pulled(exported.json, (error) => logger.error({ err: error, requestId: c.get('requestId'), projectId: project_id, sessionId: session_id }, 'session export failed midway'));
    // A streamed body has no typed form in the route's declared responses: the cast says so.
    return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': attachment(exported.session.title, 'json') }) as never;
  });

  app.openapi(exportProjectRoute, (c) => {
    const { project_id } = c.req.valid('param');
    const body = pulled(as(c).exportProject(project_id), (error) => logger.error({ err: error, requestId: c.get('requestId'), projectId: project_id }, 'project export failed midway'));
    return c.body(body, 200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-disposition': attachment(project_id, 'ndjson') }) as never;
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Chat session service: legacy REST API',
      version: '1.0.0',
      description: 'Project-scoped chat sessions and messages, as the earlier FastAPI service served them. New clients should prefer GraphQL at /graphql.',
    },
    servers: [{ url: '/api' }],
  });
  app.route('/', createDocsApp('/api/openapi.json'));

  return app;
}

/** A Content-Disposition naming a download after a title, made safe for a file name (and its UTF-8 form for clients that read it). */
function attachment(title: string, extension: string): string {
  const safe = title.normalize('NFC').replace(/[\p{Cc}"*/:<>?\\|]+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 100) || 'session';
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(`${safe}.${extension}`)}`;
}

const PULL_CHARS = 64 * 1024;

/**
 * A response body pulled from text pieces as the client reads: a slow reader holds the export back instead of it
 * piling up in memory. A failure midway ends the body short (the status was sent already) and is logged.
 */
function pulled(pieces: AsyncGenerator<string>, onError: (error: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Small pieces (a session's head, a page of messages) are sent together, up to about 64 KiB at a time.
          let text = '';
          for (;;) {
            const next = await pieces.next();
            if (next.done) {
              if (text !== '') controller.enqueue(encoder.encode(text));
              controller.close();
              return;
            }
            text += next.value;
            if (text.length >= PULL_CHARS) break;
          }
          controller.enqueue(encoder.encode(text));
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
      async cancel() {
        await pieces.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
