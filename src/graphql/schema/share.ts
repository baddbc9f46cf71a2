// Share links: ShareLink, SharedConversation, Project.shareLinks (in project.ts), Query.sharedConversation and the
// mutations that create and revoke links.
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { ShareLink } from '../../domain/session.js';
import { builder } from '../builder.js';
import { MessageRef } from './refs.js';

export const ShareLinkRef = builder.objectRef<ShareLink>('ShareLink').implement({
  description: 'A read-only link to one conversation as it was when the link was made.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The link id (not its token).' }),
    sessionId: t.exposeID('sessionId', { description: 'The session shared.' }),
    leafId: t.exposeID('leafId', { nullable: true, description: "The last message the link shows: the session's active leaf when the link was made (null for an empty session)." }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was made.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When it stops working; null: never.' }),
    createdBy: t.exposeString('createdBy', { nullable: true, description: 'The token subject that made it, when auth is on.' }),
  }),
});

const SharedConversationRef = builder.objectRef<{ title: string; sharedAt: string; messages: Message[] }>('SharedConversation').implement({
  description: 'What a share link shows: the branch up to the link\'s leaf, frozen at the time of sharing.',
  fields: (t) => ({
    title: t.exposeString('title', { description: "The session's title." }),
    sharedAt: t.expose('sharedAt', { type: 'DateTime', description: 'When the link was made.' }),
    messages: t.field({ type: [MessageRef], description: 'The shared branch, oldest first.', resolve: (c) => c.messages }),
  }),
});

builder.queryField('sharedConversation', (t) =>
  t.field({
    type: SharedConversationRef,
    nullable: true,
    description: 'What a share link shows; null when the token is unknown, revoked or expired. Needs no credentials of its own.',
    args: { token: t.arg.string({ required: true, description: 'The token of the link (the last part of /shared/<token>).' }) },
    resolve: (_root, args, { service }) => service.sharedConversation(args.token),
  }),
);

const CreateShareLinkSuccess = builder.objectRef<{ link: ShareLink; token: string }>('CreateShareLinkSuccess').implement({
  description: "The token is shown here only: the server keeps a hash of it. A link's URL is /shared/<token>.",
  fields: (t) => ({
    link: t.field({ type: ShareLinkRef, description: 'The new link.', resolve: (r) => r.link }),
    token: t.exposeString('token', { description: 'The secret of the link: whoever holds it can read the shared branch.' }),
  }),
});

builder.mutationField('createShareLink', (t) =>
  t.field({
    type: CreateShareLinkSuccess,
    description: 'Makes a read-only link to the session as it is now: its branch up to the active leaf. Needs chat:write on the project.',
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'CreateShareLinkResult', description: 'The new link with its token, or why none was made.' } },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project of the session.' }),
      sessionId: t.arg.id({ required: true, description: 'The session to share.' }),
      expiresAt: t.arg({ type: 'DateTime', description: 'When the link stops working (default: never).' }),
    },
    resolve: (_root, args, { service }) => service.createShareLink(args.projectId, args.sessionId, args.expiresAt ?? null),
  }),
);

const RevokeShareLinkSuccess = builder.objectRef<{ revokedLinkId: string }>('RevokeShareLinkSuccess').implement({
  description: 'The link no longer works.',
  fields: (t) => ({ revokedLinkId: t.exposeID('revokedLinkId', { description: 'The id of the revoked link.' }) }),
});

builder.mutationField('revokeShareLink', (t) =>
  t.field({
    type: RevokeShareLinkSuccess,
    description: 'Makes a share link stop working, at once.',
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'RevokeShareLinkResult', description: 'The revoked link id, or why nothing was revoked.' } },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project.' }),
      id: t.arg.id({ required: true, description: 'The link id.' }),
    },
    resolve: async (_root, args, { service }) => {
      await service.revokeShareLink(args.projectId, args.id);
      return { revokedLinkId: args.id };
    },
  }),
);
