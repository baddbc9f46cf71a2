// Every route of the legacy REST contract, declared once: validation, handler types and OpenAPI all come from here.
import { createRoute, z } from '@hono/zod-openapi';
import {
  AddMessageBody,
  ChatSession,
  CreateSessionBody,
  DeletedBody,
  DeleteSessionQuery,
  ErrorBody,
  IfMatchHeader,
  InternalErrorBody,
  ListMessagesQuery,
  ListSessionsQuery,
  Message,
  ProjectParams,
  ProjectStats,
  SessionParams,
  SessionWithMessages,
  UpdateSessionBody,
  ValidationErrorBody,
} from './schemas.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

const errors = {
  400: json(ErrorBody, 'Malformed project or session id, or a request the rules refuse'),
  413: json(ErrorBody, 'Body larger than the configured limit'),
  422: json(ValidationErrorBody, 'Body or query failed validation (malformed JSON included)'),
  500: json(InternalErrorBody, 'A fault of the server; the request id is in the logs'),
  503: {
    ...json(ErrorBody, 'The database is unavailable (restarting, failing over); retry after the delay. An append retried with the same client_message_id is stored once'),
    headers: z.object({ 'retry-after': z.string().openapi({ description: 'Seconds to wait before retrying', example: '2' }) }),
  },
  507: json(ErrorBody, 'The storage is full; nothing of the request was stored. Retry once space is freed'),
};
const notFound = { 404: json(ErrorBody, 'No such session in this project') };
const unsupported = { 415: json(ErrorBody, 'The body is not application/json') };
const sessions = '/projects/{project_id}/sessions';
const session = `${sessions}/{session_id}`;
const tags = ['sessions'];

export const createSessionRoute = createRoute({
  method: 'post',
  path: sessions,
  tags,
  summary: 'Create a session',
  request: { params: ProjectParams, body: body(CreateSessionBody) },
  responses: { 201: json(ChatSession, 'The new session'), ...errors, ...unsupported },
});

export const listSessionsRoute = createRoute({
  method: 'get',
  path: sessions,
  tags,
  summary: 'List sessions, most recently updated first',
  request: { params: ProjectParams, query: ListSessionsQuery },
  responses: { 200: json(ChatSession.array(), 'The sessions'), ...errors },
});

export const getSessionRoute = createRoute({
  method: 'get',
  path: session,
  tags,
  summary: 'Get a session (ETag: its version)',
  request: { params: SessionParams },
  responses: { 200: json(ChatSession, 'The session'), ...errors, ...notFound },
});

export const updateSessionRoute = createRoute({
  method: 'put',
  path: session,
  tags,
  summary: 'Update a session; If-Match makes it conditional',
  request: { params: SessionParams, headers: IfMatchHeader, body: body(UpdateSessionBody) },
  responses: {
    200: json(ChatSession, 'The updated session'),
    ...errors,
    ...notFound,
    412: json(ErrorBody, 'If-Match names a version that is no longer current; nothing changed'),
    ...unsupported,
  },
});

export const deleteSessionRoute = createRoute({
  method: 'delete',
  path: session,
  tags,
  summary: 'Delete a session (force=true when it has messages)',
  request: { params: SessionParams, query: DeleteSessionQuery },
  responses: { 200: json(DeletedBody, 'Deleted'), ...errors, ...notFound },
});

export const addMessageRoute = createRoute({
  method: 'post',
  path: `${session}/messages`,
  tags: ['messages'],
  summary: 'Append a message after the active leaf or parent_id; it becomes the active leaf (idempotent with client_message_id)',
  request: { params: SessionParams, body: body(AddMessageBody) },
  responses: {
    201: json(Message, 'The appended message'),
    200: json(Message, 'The original message: client_message_id was seen before, nothing was added'),
    ...errors,
    404: json(ErrorBody, 'No such session in this project, or no message parent_id in this session'),
    ...unsupported,
  },
});

export const listMessagesRoute = createRoute({
  method: 'get',
  path: `${session}/messages`,
  tags: ['messages'],
  summary: 'List the messages of the active branch, oldest first',
  request: { params: SessionParams, query: ListMessagesQuery },
  responses: { 200: json(Message.array(), 'The messages'), ...errors, ...notFound },
});

export const fullSessionRoute = createRoute({
  method: 'get',
  path: `${session}/full`,
  tags,
  summary: 'A session with every message of its active branch',
  request: { params: SessionParams },
  responses: { 200: json(SessionWithMessages, 'The session and its messages'), ...errors, ...notFound },
});

export const projectStatsRoute = createRoute({
  method: 'get',
  path: '/projects/{project_id}/stats',
  tags: ['projects'],
  summary: 'Totals of a project',
  request: { params: ProjectParams },
  responses: { 200: json(ProjectStats, 'The totals'), ...errors },
});

export const ExportQuery = z.object({
  format: z.enum(['json', 'markdown']).default('json').openapi({ description: 'json: every branch, as importConversations reads back (NATIVE); markdown: the active branch' }),
});

export const exportSessionRoute = createRoute({
  method: 'get',
  path: `${session}/export`,
  tags: ['export'],
  summary: 'A session as a file: JSON (every branch, read back losslessly by the import) or Markdown (the active branch)',
  request: { params: SessionParams, query: ExportQuery },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({}).passthrough() }, 'text/markdown': { schema: z.string() } },
      description: 'The file, with Content-Disposition: attachment',
    },
    ...notFound,
    ...errors,
  },
});

export const exportProjectRoute = createRoute({
  method: 'get',
  path: '/projects/{project_id}/export',
  tags: ['export'],
  summary: 'Every session of a project (archived too, not the trash) as NDJSON, one exported session a line, streamed',
  request: { params: ProjectParams },
  responses: { 200: { content: { 'application/x-ndjson': { schema: z.string() } }, description: 'One JSON session export per line' }, ...errors },
});
