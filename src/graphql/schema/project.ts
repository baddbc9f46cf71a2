// Project (a namespace named by the client), its stats, and Query.project.
import { ROLES, type Role } from '../../domain/roles.js';
import type { ProjectStats } from '../../domain/stats.js';
import { builder } from '../builder.js';
import { idArg } from './args.js';
import { SessionRef } from './refs.js';
import { MessageRoleEnum } from './scalars.js';
import { SessionConnectionRef, TrashConnectionRef } from './session.js';
import { ShareLinkRef } from './share.js';
import type { SessionOrder, TagCount } from '../../store/store.js';
import type { RetentionPolicy } from '../../domain/session.js';
import { ValidationError } from '../../domain/errors.js';

const RoleCountRef = builder.objectRef<{ role: Role; count: number }>('RoleCount').implement({
  description: 'How many messages one role wrote.',
  fields: (t) => ({
    role: t.expose('role', { type: MessageRoleEnum, description: 'The role.' }),
    count: t.exposeInt('count', { description: 'Its number of messages.' }),
  }),
});

const ProjectStatsRef = builder.objectRef<ProjectStats>('ProjectStats').implement({
  description: 'Totals of a project, kept as counters: reading them never reads messages.',
  fields: (t) => ({
    totalSessions: t.exposeInt('totalSessions', { description: 'Sessions, active and archived.' }),
    activeSessions: t.exposeInt('activeSessions', { description: 'Sessions not archived.' }),
    inactiveSessions: t.exposeInt('inactiveSessions', { description: 'Archived sessions.' }),
    totalMessages: t.exposeInt('totalMessages', { description: 'Messages in all sessions.' }),
    messagesByRole: t.field({
      type: [RoleCountRef],
      description: 'Messages per role, every role listed.',
      resolve: (stats) => ROLES.map((role) => ({ role, count: stats.messagesByRole[role] })),
    }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime', nullable: true, description: 'When any session last changed; null for an empty project.' }),
  }),
});

const SessionOrderEnum = builder.enumType('SessionOrder', {
  description: 'How sessionsPage orders sessions (after pinned ones, unless pinnedFirst is false); ties by id.',
  values: {
    UPDATED_AT_DESC: { value: 'updatedAt' as SessionOrder, description: 'Most recently changed first.' },
    CREATED_AT_DESC: { value: 'createdAt' as SessionOrder, description: 'Most recently created first.' },
    LAST_MESSAGE_AT_DESC: { value: 'lastMessageAt' as SessionOrder, description: 'Newest message first; sessions without messages last.' },
    TITLE_ASC: { value: 'title' as SessionOrder, description: 'By title, A to Z, ignoring case.' },
  },
});

const SessionFilterInput = builder.inputType('SessionFilter', {
  description: 'Which sessions sessionsPage lists; every condition given must hold.',
  fields: (t) => ({
    includeInactive: t.boolean({ description: 'Archived sessions too (default false).' }),
    onlyInactive: t.boolean({ description: 'Only archived sessions.' }),
    tags: t.stringList({ description: 'Only sessions carrying every one of these tags.' }),
    pinned: t.boolean({ description: 'Only pinned (true) or only unpinned (false) sessions.' }),
    mine: t.boolean({ description: "Only sessions created by the caller's token subject." }),
    titleContains: t.string({ description: 'Case-insensitive part of the title.' }),
  }),
});

const TagCountRef = builder.objectRef<TagCount>('TagCount').implement({
  description: 'A tag in use, and how many sessions carry it.',
  fields: (t) => ({
    tag: t.exposeString('tag', { description: 'The tag, spelled as on the most recently updated session carrying it.' }),
    count: t.exposeInt('count', { description: 'How many sessions carry it.' }),
  }),
});

const RetentionPolicyRef = builder.objectRef<RetentionPolicy>('RetentionPolicy').implement({
  description: 'How long a project keeps sessions.',
  fields: (t) => ({
    archivedDays: t.exposeInt('archivedDays', { nullable: true, description: 'Archived sessions move to the trash this many days after their last change; null: never.' }),
    inactiveDays: t.exposeInt('inactiveDays', { nullable: true, description: 'Sessions with no change for this many days move to the trash; null: never.' }),
    trashDays: t.exposeInt('trashDays', { description: 'Sessions stay in the trash this many days, then are erased for good (default 30; 0: at once).' }),
  }),
});

const RetentionPolicyInput = builder.inputType('RetentionPolicyInput', {
  description: 'Changes to a retention policy; fields left out stay as they are, null turns a rule off.',
  fields: (t) => ({
    archivedDays: t.int({ description: 'Days after which archived sessions move to the trash; null: never.' }),
    inactiveDays: t.int({ description: 'Days without change after which sessions move to the trash; null: never.' }),
    trashDays: t.int({ description: 'Days in the trash before erasing (0: deleting erases at once).' }),
  }),
});

const SetRetentionPolicySuccess = builder.objectRef<{ retention: RetentionPolicy }>('SetRetentionPolicySuccess').implement({
  description: 'The policy is stored; the next sweep applies it.',
  fields: (t) => ({ retention: t.field({ type: RetentionPolicyRef, description: 'The policy now.', resolve: (r) => r.retention }) }),
});

builder.mutationField('setRetentionPolicy', (t) =>
  t.field({
    type: SetRetentionPolicySuccess,
    description: "Changes a project's retention policy, applied by a background sweep (RETENTION_SWEEP_INTERVAL_MS).",
    errors: { types: [ValidationError], directResult: true, union: { name: 'SetRetentionPolicyResult', description: 'The policy, or why it was refused.' } },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project.' }),
      input: t.arg({ type: RetentionPolicyInput, required: true, description: 'The changes.' }),
    },
    resolve: async (_root, args, { service }) => ({ retention: await service.setRetentionPolicy(args.projectId, args.input) }),
  }),
);

export const ProjectRef = builder.objectRef<{ id: string }>('Project').implement({
  description: 'A namespace of sessions, named by the client. It needs no creation: an id with no sessions is an empty project.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The project id.' }),
    sessions: t.field({
      type: [SessionRef],
      description: 'Its sessions, most recently updated first.',
      args: { includeInactive: t.arg.boolean({ defaultValue: false, description: 'Include archived sessions.' }) },
      resolve: (project, args, { service }) => service.listSessions(project.id, args),
    }),
    sessionsConnection: t.field({
      type: SessionConnectionRef,
      description: 'Its sessions as a Relay connection, most recently updated first.',
      args: {
        includeInactive: t.arg.boolean({ defaultValue: false, description: 'Include archived sessions.' }),
        first: t.arg.int({ description: 'How many, 0 to 1000 (default 100).' }),
        after: t.arg.string({ description: 'Only sessions after this cursor.' }),
      },
      resolve: (project, args, { service }) => service.listSessionsPage(project.id, args),
    }),
    sessionsPage: t.field({
      type: SessionConnectionRef,
      description: 'Sessions matching filter, pinned ones first unless pinnedFirst is false; first is 0..1000.',
      args: {
        filter: t.arg({ type: SessionFilterInput, description: 'Which sessions (default: every one not archived).' }),
        orderBy: t.arg({ type: SessionOrderEnum, defaultValue: 'updatedAt', description: 'The order.' }),
        pinnedFirst: t.arg.boolean({ defaultValue: true, description: 'Pinned sessions before the others.' }),
        first: t.arg.int({ defaultValue: 50, description: 'How many, 0 to 1000.' }),
        after: t.arg.string({ description: 'Only sessions after this cursor (of the same order).' }),
      },
      resolve: (project, args, { service }) => service.sessionsPage(project.id, args),
    }),
    trash: t.field({
      type: TrashConnectionRef,
      description: 'Sessions in the trash, most recently deleted first.',
      args: {
        first: t.arg.int({ defaultValue: 50, description: 'How many, 0 to 1000.' }),
        after: t.arg.string({ description: 'Only sessions after this cursor.' }),
      },
      resolve: (project, args, { service }) => service.trashPage(project.id, args),
    }),
    shareLinks: t.field({
      type: [ShareLinkRef],
      description: 'Live share links of the project (or of one session), newest first; revoked and expired ones are left out.',
      args: { sessionId: t.arg.id({ description: 'Only the links of this session.' }) },
      resolve: (project, args, { service }) => service.shareLinks(project.id, args.sessionId),
    }),
    retention: t.field({
      type: RetentionPolicyRef,
      description: 'How long it keeps sessions (the default until it sets its own).',
      resolve: (project, _args, { service }) => service.retention(project.id),
    }),
    tags: t.field({
      type: [TagCountRef],
      description: 'Every tag in use in the project (trash excluded) with how many sessions carry it, most used first.',
      resolve: (project, _args, { service }) => service.tagCounts(project.id),
    }),
    session: t.field({
      type: SessionRef,
      nullable: true,
      description: 'One of its sessions; null when it has no such session.',
      args: { id: t.arg.id({ required: true, description: 'The session.', validate: idArg }) },
      resolve: (project, args, { loaders }) => loaders.sessions.load({ projectId: project.id, sessionId: args.id }),
    }),
    stats: t.field({
      type: ProjectStatsRef,
      description: 'Its totals.',
      resolve: (project, _args, { loaders }) => loaders.stats.load(project.id),
    }),
  }),
});

builder.queryField('project', (t) =>
  t.field({
    type: ProjectRef,
    description: 'A project by id. Every project exists: one with no sessions is empty.',
    args: { id: t.arg.id({ required: true, description: 'The project id.', validate: idArg }) },
    resolve: (_root, args) => ({ id: args.id }),
  }),
);
