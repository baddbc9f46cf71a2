// Message, its connection types, and Mutation.addMessage.
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { AppendResult } from '../../domain/message.js';
import type { Page } from '../../service/pagination.js';
import type { Message } from '../../domain/message.js';
import { builder } from '../builder.js';
import { PageInfoRef } from './page-info.js';
import { MessageRef, SessionRef } from './refs.js';
import { MessageRoleEnum } from './scalars.js';

MessageRef.implement({
  description: 'One message of a chat session. Messages are never edited (an edit is a new sibling); sequence is the order they were written in.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique within its session.' }),
    projectId: t.exposeID('projectId', { description: 'The project the session belongs to.' }),
    sessionId: t.exposeID('sessionId', { description: 'The session this message belongs to.' }),
    // Exposed under its own name, so graphql-jit reads the property inline instead of calling a resolver per message.
    sequence: t.exposeInt('sequence', { description: 'Place in the session, from 1, without gaps: the order of messages.' }),
    role: t.expose('role', { type: MessageRoleEnum, description: 'Who wrote it.' }),
    content: t.exposeString('content', { description: 'The text of the message.' }),
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
