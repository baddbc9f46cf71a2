// Live updates: Subscription.messageAdded (resumable with `after`) and Subscription.sessionEvents, with their types.
import type { MessageChunk } from '../../domain/message.js';
import type { SessionEvent } from '../../events/event-bus.js';
import type { StreamEvent } from '../../service/message-stream.js';
import { builder } from '../builder.js';
import { idArg } from './args.js';
import { MessageRef, SessionRef } from './refs.js';

const SessionEventKindEnum = builder.enumType('SessionEventKind', {
  description: 'What happened to a session.',
  values: {
    CREATED: { description: 'The session was created.' },
    UPDATED: { description: 'Its title, description, metadata or archived state changed.' },
    DELETED: { description: 'It was deleted, with its messages.' },
    MESSAGE_ADDED: { description: 'A message was appended to it.' },
    MESSAGE_UPDATED: { description: "A message's content or status changed (a chunk arrived, or it was finished)." },
  },
});

const SessionEventRef = builder.objectRef<SessionEvent>('SessionEvent').implement({
  description: 'A change to one session of a project, announced once it is durable.',
  fields: (t) => ({
    kind: t.expose('kind', { type: SessionEventKindEnum, description: 'What happened.' }),
    projectId: t.exposeID('projectId', { description: 'The project.' }),
    sessionId: t.exposeID('sessionId', { description: 'The session it happened to.' }),
    session: t.field({ type: SessionRef, nullable: true, description: 'The session after the change; null for DELETED.', resolve: (e) => e.session }),
    message: t.field({ type: MessageRef, nullable: true, description: 'The new message for MESSAGE_ADDED; the message as it is now for MESSAGE_UPDATED.', resolve: (e) => e.message }),
  }),
});

builder.subscriptionType({ description: 'Live updates, over Server-Sent Events or WebSocket (graphql-ws) at /graphql.' });

builder.subscriptionField('messageAdded', (t) =>
  t.field({
    type: MessageRef,
    description:
      'Every message appended to one session, in append order. With `after` (a cursor from messagesConnection), first replays every message after that cursor, then continues live, with no gap and no duplicate between the two.',
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.', validate: idArg }),
      sessionId: t.arg.id({ required: true, description: 'The session.', validate: idArg }),
      after: t.arg.string({ description: 'Replay the messages after this cursor first.' }),
    },
    subscribe: (_root, args, { service }) => service.messageStream(args.projectId, args.sessionId, args.after),
    resolve: (message) => message,
  }),
);

builder.subscriptionField('sessionEvents', (t) =>
  t.field({
    type: SessionEventRef,
    description: 'Every change to any session of one project.',
    args: { projectId: t.arg.id({ required: true, description: 'The project.', validate: idArg }) },
    subscribe: (_root, args, { service }) => service.sessionEventStream(args.projectId),
    resolve: (event) => event,
  }),
);

const MessageChunkRef = builder.objectRef<MessageChunk>('MessageChunk').implement({
  description: "A piece of a streamed message's content.",
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its number, from 0.' }),
    chunk: t.exposeString('chunk', { description: 'Its text.' }),
  }),
});

const MessageStreamEventRef = builder.objectRef<StreamEvent>('MessageStreamEvent').implement({
  description: 'One step of a message being written.',
  fields: (t) => ({
    chunk: t.field({ type: MessageChunkRef, nullable: true, description: 'A chunk; null on the event that reports the end.', resolve: (e) => e.chunk }),
    message: t.field({ type: MessageRef, description: 'The message as of this event; once its status is not STREAMING the stream ends.', resolve: (e) => e.message }),
  }),
});

builder.subscriptionField('messageStream', (t) =>
  t.field({
    type: MessageStreamEventRef,
    description:
      "One message's content as it is written: first an event for every stored chunk after afterIndex (every chunk when absent), then live chunks, with no gap and no duplicate, then one last event (chunk null) with the final status, and the stream ends. For a message that is no longer STREAMING: its stored chunks after afterIndex, then the last event.",
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.', validate: idArg }),
      sessionId: t.arg.id({ required: true, description: 'The session.', validate: idArg }),
      messageId: t.arg.id({ required: true, description: 'The message.', validate: idArg }),
      afterIndex: t.arg.int({ description: 'Replay only the chunks after this index (what a reader that reloads has already shown).' }),
    },
    subscribe: (_root, args, { service }) => service.messageChunkStream(args.projectId, args.sessionId, args.messageId, args.afterIndex),
    resolve: (event) => event,
  }),
);
