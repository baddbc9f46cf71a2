// Message, its connection types, and Mutation.addMessage.
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import type { AppendResult } from '../../domain/message.js';
import type { ChunkResult, FinishResult } from '../../store/store.js';
import type { Page } from '../../service/pagination.js';
import type { Message } from '../../domain/message.js';
import { builder } from '../builder.js';
import { PageInfoRef } from './page-info.js';
import { MessageRef, SessionRef } from './refs.js';
import { MessageRoleEnum, MessageStatusEnum, TokenEncodingEnum } from './scalars.js';

MessageRef.implement({
  description:
    'One message of a chat session. Messages are never edited (an edit is a new sibling); sequence is the order they were written in. A streamed message grows chunk by chunk until it is finished.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique within its session.' }),
    projectId: t.exposeID('projectId', { description: 'The project the session belongs to.' }),
    sessionId: t.exposeID('sessionId', { description: 'The session this message belongs to.' }),
    // Exposed under its own name, so graphql-jit reads the property inline instead of calling a resolver per message.
    sequence: t.exposeInt('sequence', { description: 'Place in the session, from 1, without gaps: the order of messages.' }),
    role: t.expose('role', { type: MessageRoleEnum, description: 'Who wrote it.' }),
    content: t.exposeString('content', { description: 'The text of the message (of a STREAMING one: what has arrived so far).' }),
    metadata: t.expose('metadata', { type: 'JSONObject', description: 'Free-form data the client attached.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the server appended it.' }),
    clientMessageId: t.exposeString('clientMessageId', {
      nullable: true,
      description: 'The id the client gave for idempotent retries, if any.',
    }),
    parentId: t.exposeID('parentId', {
      nullable: true,
      description: "The message this one follows; null for a first message. Messages with one parent are alternatives of each other: an edited prompt, a regenerated answer.",
    }),
    siblingCount: t.int({
      description: "How many messages share this message's parent, itself included (1 when it has no alternative).",
      resolve: async (message, _args, { loaders }) => (await loaders.links.load(message)).siblingIds.length,
    }),
    siblingIndex: t.int({
      description: 'Its place among those, from 0, in the order they were written.',
      resolve: async (message, _args, { loaders }) => (await loaders.links.load(message)).siblingIds.indexOf(message.id),
    }),
    siblingIds: t.idList({
      description: "The ids of the messages sharing its parent, itself included, in the order they were written.",
      resolve: async (message, _args, { loaders }) => (await loaders.links.load(message)).siblingIds,
    }),
    childCount: t.int({
      description: 'How many messages follow this one directly.',
      resolve: async (message, _args, { loaders }) => (await loaders.links.load(message)).childCount,
    }),
    newestLeafId: t.id({
      description:
        'The newest message among this one and all that follow it, however far down: the end of the branch last written through it (its own id when nothing follows it). A version switcher makes it the active leaf, so that the version shows with what followed it.',
      resolve: (message, _args, { loaders }) => loaders.newestLeaves.load(message),
    }),
    status: t.expose('status', { type: MessageStatusEnum, description: 'Where the message stands in its life.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its content or status last changed (createdAt for a message written whole).' }),
    chunkCount: t.exposeInt('chunkCount', { description: 'Chunks of content received so far (0 for a message written whole).' }),
    tokenCount: t.int({
      description: "Its content's length in tokens of the given encoding.",
      args: { encoding: t.arg({ type: TokenEncodingEnum, defaultValue: 'o200k_base', description: 'The encoding to count in.' }) },
      resolve: (message, args, { service }) => service.tokenCount(message, args.encoding ?? 'o200k_base'),
    }),
  }),
});

const MessageEdgeRef = builder.objectRef<Page<Message>['edges'][number]>('MessageEdge').implement({
  description: 'A message with its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque position of this message; stays valid while the session grows.' }),
    node: t.field({ type: MessageRef, description: 'The message.', resolve: (edge) => edge.node }),
  }),
});

export const MessageConnectionRef = builder.objectRef<Page<Message>>('MessageConnection').implement({
  description: 'A page of messages, oldest first.',
  fields: (t) => ({
    edges: t.field({ type: [MessageEdgeRef], description: 'The messages of this page, oldest first.', resolve: (page) => page.edges }),
    pageInfo: t.field({ type: PageInfoRef, description: 'Where this page stands.', resolve: (page) => page.pageInfo }),
    totalCount: t.exposeInt('totalCount', { description: 'How many messages the list holds: the branch (path) for messagesConnection and branch, the whole session for allMessagesConnection.' }),
  }),
});

const AddMessageInput = builder.inputType('AddMessageInput', {
  description: 'A message to append.',
  fields: (t) => ({
    role: t.field({ type: MessageRoleEnum, required: true, description: 'Who wrote it.' }),
    content: t.string({ required: true, description: 'The text; at most MAX_MESSAGE_BYTES bytes of UTF-8.' }),
    metadata: t.field({ type: 'JSONObject', description: 'Free-form data to keep with it (default {}).' }),
    clientMessageId: t.string({
      description: 'Your own id for this message (at most 128 characters). Sending it again returns the original message instead of a duplicate.',
    }),
    parentId: t.id({
      description: 'Follow this message instead of the active leaf. Naming a message that already has a follower starts a new branch (edit, regenerate). The new message becomes the active leaf either way.',
    }),
    root: t.boolean({
      description: "True: a new first message, an alternative to the session's first message(s) (an edited first prompt); parentId must then be absent.",
    }),
  }),
});

const AddMessageSuccess = builder.objectRef<AppendResult>('AddMessageSuccess').implement({
  description: 'The message was appended (or had been already).',
  fields: (t) => ({
    message: t.field({ type: MessageRef, description: 'The stored message.', resolve: (r) => r.message }),
    session: t.field({ type: SessionRef, description: 'The session after the append.', resolve: (r) => r.session }),
    deduplicated: t.exposeBoolean('deduplicated', {
      description: 'True when clientMessageId named a message already stored: nothing was added, the original is returned.',
    }),
  }),
});

builder.mutationField('addMessage', (t) =>
  t.field({
    type: AddMessageSuccess,
    description:
      'Appends a message to a session after its active leaf (or parentId), and makes it the active leaf. Durable when this returns. Retrying with the same clientMessageId never duplicates.',
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'AddMessageResult', description: 'The appended message, or why it was not appended.' } },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.' }),
      sessionId: t.arg.id({ required: true, description: 'The session to append to.' }),
      input: t.arg({ type: AddMessageInput, required: true, description: 'The message.' }),
    },
    resolve: (_root, args, { service }) => service.addMessage(args.projectId, args.sessionId, args.input),
  }),
);

const StartMessageInput = builder.inputType('StartMessageInput', {
  description: "A message whose content will arrive in chunks (a model's answer being generated).",
  fields: (t) => ({
    role: t.field({ type: MessageRoleEnum, required: true, description: 'Who writes it.' }),
    content: t.string({ description: 'Content known at the start (default empty); it is not a chunk.' }),
    metadata: t.field({ type: 'JSONObject', description: 'Free-form data to keep with it (default {}).' }),
    parentId: t.id({ description: 'As in AddMessageInput: default the active leaf.' }),
    root: t.boolean({ description: 'As in AddMessageInput.' }),
    clientMessageId: t.string({ description: 'As in AddMessageInput: a retry returns the original message with deduplicated: true.' }),
  }),
});

const StartMessageSuccess = builder.objectRef<AppendResult>('StartMessageSuccess').implement({
  description: 'The streamed message was created (or had been already).',
  fields: (t) => ({
    message: t.field({ type: MessageRef, description: 'The new message, STREAMING, already with its id and sequence; it is the active leaf.', resolve: (r) => r.message }),
    session: t.field({ type: SessionRef, description: 'The session after the start.', resolve: (r) => r.session }),
    deduplicated: t.exposeBoolean('deduplicated', { description: 'True when clientMessageId named a message already stored: the original is returned.' }),
  }),
});

builder.mutationField('startMessage', (t) =>
  t.field({
    type: StartMessageSuccess,
    description:
      'Creates a STREAMING message at once (id, sequence, parent; it becomes the active leaf) whose content then arrives through appendMessageContent and ends with finishMessage. A stream with no chunk for the stream idle timeout is ended as INCOMPLETE by the server.',
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'StartMessageResult', description: 'The started message, or why none was started.' } },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.' }),
      sessionId: t.arg.id({ required: true, description: 'The session to write in.' }),
      input: t.arg({ type: StartMessageInput, required: true, description: 'The message.' }),
    },
    resolve: (_root, args, { service }) => service.startMessage(args.projectId, args.sessionId, args.input),
  }),
);

const AppendContentSuccess = builder.objectRef<ChunkResult>('AppendContentSuccess').implement({
  description: 'The chunk is stored (or had been already).',
  fields: (t) => ({
    message: t.field({ type: MessageRef, description: 'The message with the chunk.', resolve: (r) => r.message }),
    appended: t.exposeBoolean('appended', { description: 'False when this chunk index had been stored already: nothing was added (a retry).' }),
  }),
});

builder.mutationField('appendMessageContent', (t) =>
  t.field({
    type: AppendContentSuccess,
    description:
      'Stores chunk number `index` (from 0) of a STREAMING message; acknowledged once durable, like addMessage. Sending an index again changes nothing (appended: false); an index past the next one is a ConflictError naming the next index expected.',
    errors: {
      types: [ValidationError, NotFoundError, ConflictError],
      directResult: true,
      union: { name: 'AppendContentResult', description: 'ConflictError when the message is not STREAMING, or index skips ahead (the message names the next index expected).' },
    },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.' }),
      sessionId: t.arg.id({ required: true, description: 'The session.' }),
      messageId: t.arg.id({ required: true, description: 'The STREAMING message.' }),
      index: t.arg.int({ required: true, description: 'The chunk number, from 0.' }),
      chunk: t.arg.string({ required: true, description: 'The text to add.' }),
    },
    resolve: (_root, args, { service }) => service.appendMessageContent(args.projectId, args.sessionId, args.messageId, args.index, args.chunk),
  }),
);

const FinishMessageInput = builder.inputType('FinishMessageInput', {
  description: 'How a streamed message ends.',
  fields: (t) => ({
    status: t.field({ type: MessageStatusEnum, required: true, description: 'COMPLETE or INCOMPLETE.' }),
    metadata: t.field({ type: 'JSONObject', description: "Merged into the message's metadata (e.g. model, usage, finish reason)." }),
  }),
});

const FinishMessageSuccess = builder.objectRef<FinishResult>('FinishMessageSuccess').implement({
  description: 'The message is finished.',
  fields: (t) => ({ message: t.field({ type: MessageRef, description: 'The finished message, its content whole.', resolve: (r) => r.message }) }),
});

builder.mutationField('finishMessage', (t) =>
  t.field({
    type: FinishMessageSuccess,
    description: 'Ends a STREAMING message as COMPLETE or INCOMPLETE, merging metadata. Finishing again with the same status succeeds.',
    errors: {
      types: [ValidationError, NotFoundError, ConflictError],
      directResult: true,
      union: { name: 'FinishMessageResult', description: 'ConflictError when the message is not STREAMING (finishing twice with the same status is a success, not a conflict).' },
    },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.' }),
      sessionId: t.arg.id({ required: true, description: 'The session.' }),
      messageId: t.arg.id({ required: true, description: 'The STREAMING message.' }),
      input: t.arg({ type: FinishMessageInput, required: true, description: 'Its final status and metadata.' }),
    },
    resolve: (_root, args, { service }) => service.finishMessage(args.projectId, args.sessionId, args.messageId, args.input),
  }),
);
