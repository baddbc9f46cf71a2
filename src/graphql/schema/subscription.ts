// Live updates: Subscription.messageAdded (resumable with `after`) and Subscription.sessionEvents, with their types.
import type { SessionEvent } from '../../events/event-bus.js';
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
  },
});

const SessionEventRef = builder.objectRef<SessionEvent>('SessionEvent').implement({
  description: 'A change to one session of a project, announced once it is durable.',
  fields: (t) => ({
    kind: t.expose('kind', { type: SessionEventKindEnum, description: 'What happened.' }),
    projectId: t.exposeID('projectId', { description: 'The project.' }),
    sessionId: t.exposeID('sessionId', { description: 'The session it happened to.' }),
    session: t.field({ type: SessionRef, nullable: true, description: 'The session after the change; null for DELETED.', resolve: (e) => e.session }),
    message: t.field({ type: MessageRef, nullable: true, description: 'The new message, for MESSAGE_ADDED.', resolve: (e) => e.message }),
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
