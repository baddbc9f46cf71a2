// The REST shim's wire shapes (snake_case, as the legacy FastAPI service spoke), declared once for validation and OpenAPI.
import { z } from '@hono/zod-openapi';
import { ID_PATTERN } from '../domain/ids.js';
import { ROLES } from '../domain/roles.js';
import { PAGE_MAX } from '../service/pagination.js';

const id = (name: string, what: string) =>
  z.string().regex(ID_PATTERN).openapi({ param: { name, in: 'path' }, description: what, example: 'demo' });

export const ProjectParams = z.object({ project_id: id('project_id', 'The project (1-128 of A-Z a-z 0-9 _ -, starting alphanumeric).') });
export const SessionParams = ProjectParams.extend({ session_id: id('session_id', 'The session.') });

const jsonObject = z.record(z.string(), z.unknown()).openapi({ type: 'object', additionalProperties: true, example: { channel: 'web' } });
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-01-31T12:00:00.000Z' });
const role = z.enum(ROLES).openapi({ description: 'Who wrote the message.' });

/** FastAPI treats these as true/false in a query string. */
const queryBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'True', 'False'])
  .transform((value) => ['true', '1', 'yes', 'on', 'True'].includes(value))
  .openapi({ type: 'boolean' });

export const ListSessionsQuery = z.object({ include_inactive: queryBoolean.optional().openapi({ description: 'Include archived sessions.' }) });
export const DeleteSessionQuery = z.object({ force: queryBoolean.optional().openapi({ description: 'Also delete its messages.' }) });
export const ListMessagesQuery = z.object({
  limit: z.coerce.number().int().optional().openapi({ minimum: 1, maximum: PAGE_MAX, default: 100, description: 'How many, 1 to 1000.' }),
  offset: z.coerce.number().int().optional().openapi({ minimum: 0, default: 0, description: 'How many to skip from the oldest.' }),
});

export const IfMatchHeader = z.object({
  'if-match': z.string().optional().openapi({ description: 'Apply only if the session is still at this version, e.g. "3" (from ETag).', example: '"3"' }),
});

export const CreateSessionBody = z
  .object({
    title: z.string().openapi({ description: 'Title, 1 to 200 characters after trimming.', example: 'Support chat' }),
    description: z.string().nullish().openapi({ description: 'Up to 10 000 characters.' }),
    metadata: jsonObject.nullish(),
    project_id: z.string().nullish().openapi({ description: 'Optional; must equal the project in the path.' }),
  })
  .openapi('CreateSessionRequest');

export const UpdateSessionBody = z
  .object({
    title: z.string().nullish(),
    description: z.string().nullish().openapi({ description: 'null clears it.' }),
    metadata: jsonObject.nullish(),
    is_active: z.boolean().nullish().openapi({ description: 'false archives the session.' }),
  })
  .openapi('UpdateSessionRequest');

export const AddMessageBody = z
  .object({
    role,
    content: z.string().openapi({ example: 'Hello!' }),
    metadata: jsonObject.nullish(),
    client_message_id: z.string().nullish().openapi({ description: 'Your id for idempotent retries (at most 128 characters).', example: 'tab1-0001' }),
    parent_id: z.string().nullish().openapi({
      description: 'Follow this message instead of the active leaf (a new branch when it already has a follower). The new message becomes the active leaf.',
    }),
  })
  .openapi('AddMessageRequest');

export const ChatSession = z
  .object({
    id: z.string(),
    project_id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    metadata: jsonObject,
    is_active: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
    version: z.number().int(),
    message_count: z.number().int(),
    last_message_at: timestamp.nullable(),
    active_leaf_id: z.string().nullable().openapi({ description: 'The last message of the branch shown (messages and full list that branch).' }),
  })
  .openapi('ChatSession');

export const Message = z
  .object({
    id: z.string(),
    session_id: z.string(),
    project_id: z.string(),
    sequence: z.number().int().openapi({ description: 'Place in the order written over every branch, from 1, without gaps.' }),
    role,
    content: z.string(),
    metadata: jsonObject,
    created_at: timestamp,
    client_message_id: z.string().nullable(),
    parent_id: z.string().nullable().openapi({ description: 'The message this one follows; null for a first message.' }),
    status: z.enum(['complete', 'streaming', 'incomplete']).openapi({ description: 'complete for a message written whole or finished; streaming while its content arrives in chunks (content is what arrived so far); incomplete when it was cut short.' }),
    updated_at: timestamp.openapi({ description: 'When its content or status last changed.' }),
  })
  .openapi('Message');

export const SessionWithMessages = z.object({ session: ChatSession, messages: z.array(Message) }).openapi('SessionWithMessages');

export const ProjectStats = z
  .object({
    project_id: z.string(),
    total_sessions: z.number().int(),
    active_sessions: z.number().int(),
    inactive_sessions: z.number().int(),
    total_messages: z.number().int(),
    messages_by_role: z.object({ user: z.number().int(), assistant: z.number().int(), system: z.number().int(), tool: z.number().int() }),
    last_activity_at: timestamp.nullable(),
  })
  .openapi('ProjectStats');

export const DeletedBody = z.object({ message: z.literal('Session deleted successfully') }).openapi('Deleted');

export const ErrorBody = z.object({ detail: z.string() }).openapi('Error');
export const ValidationErrorBody = z
  .object({
    detail: z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  })
  .openapi('ValidationError');
export const InternalErrorBody = z.object({ detail: z.literal('Internal error'), request_id: z.string() }).openapi('InternalError');
