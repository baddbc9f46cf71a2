// Project.search: full-text search over a project's messages and session titles, and its hit types.
import type { Page } from '../../service/pagination.js';
import type { SearchHit } from '../../service/search.js';
import type { TextRange } from '../../search/snippet.js';
import { builder } from '../builder.js';
import { PageInfoRef } from './page-info.js';
import { ProjectRef } from './project.js';
import { MessageRef, SessionRef } from './refs.js';
import { MessageRoleEnum } from './scalars.js';

const SearchFilterInput = builder.inputType('SearchFilter', {
  description: 'Which messages a search looks at; every condition given must hold.',
  fields: (t) => ({
    roles: t.field({ type: [MessageRoleEnum], description: 'Only messages of these roles (session titles are left out then).' }),
    sessionIds: t.idList({ description: 'Only these sessions (at most 100).' }),
    since: t.field({ type: 'DateTime', description: 'Only messages written at or after this instant.' }),
    until: t.field({ type: 'DateTime', description: 'Only messages written before this instant.' }),
    includeInactive: t.boolean({ description: 'Archived sessions too (default false).' }),
  }),
});

const TextRangeRef = builder.objectRef<TextRange>('TextRange').implement({
  description: 'A part of a snippet that matched, as UTF-16 offsets into it (JavaScript string indexes): snippet.slice(start, end).',
  fields: (t) => ({
    start: t.exposeInt('start', { description: 'Offset of its first character.' }),
    end: t.exposeInt('end', { description: 'Offset just past its last character.' }),
  }),
});

const SearchHitRef = builder.objectRef<SearchHit>('SearchHit').implement({
  description: 'A message or session title that matched a search.',
  fields: (t) => ({
    session: t.field({ type: SessionRef, description: 'The session it is in.', resolve: (hit) => hit.session }),
    message: t.field({ type: MessageRef, nullable: true, description: "The matching message; null when only the session's title matched.", resolve: (hit) => hit.message }),
    snippet: t.exposeString('snippet', { description: 'Plain text around the match (at most ~200 characters), no markup: render highlights from `highlights`.' }),
    highlights: t.field({ type: [TextRangeRef], description: 'The matched words in the snippet.', resolve: (hit) => hit.highlights }),
    score: t.exposeFloat('score', { description: 'Higher is more relevant; comparable within one search only.' }),
  }),
});

const SearchHitEdgeRef = builder.objectRef<Page<SearchHit>['edges'][number]>('SearchHitEdge').implement({
  description: 'A hit and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` for the hits after this one.' }),
    node: t.field({ type: SearchHitRef, description: 'The hit.', resolve: (edge) => edge.node }),
  }),
});

const SearchConnectionRef = builder.objectRef<Page<SearchHit>>('SearchConnection').implement({
  description: 'A page of search hits, most relevant first.',
  fields: (t) => ({
    edges: t.field({ type: [SearchHitEdgeRef], description: 'The hits of this page.', resolve: (page) => page.edges }),
    pageInfo: t.field({ type: PageInfoRef, description: 'Where this page stands.', resolve: (page) => page.pageInfo }),
  }),
});

builder.objectField(ProjectRef, 'search', (t) =>
  t.field({
    type: SearchConnectionRef,
    description: 'Messages and session titles of this project matching `query`, most relevant first; first is 1..100.',
    args: {
      query: t.arg.string({ required: true, description: 'Words (all must match; the last also as a prefix), "a phrase", -excluded.' }),
      filter: t.arg({ type: SearchFilterInput, description: 'Which messages to look at.' }),
      first: t.arg.int({ defaultValue: 20, description: 'How many hits, 1 to 100.' }),
      after: t.arg.string({ description: 'Only hits after this cursor (of the same search).' }),
    },
    resolve: (project, args, { service }) => service.search(project.id, args),
  }),
);
