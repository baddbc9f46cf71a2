// PageInfo, shared by every connection.
import type { Page } from '../../service/pagination.js';
import { builder } from '../builder.js';

export const PageInfoRef = builder.objectRef<Page<unknown>['pageInfo']>('PageInfo').implement({
  description: 'Where a page of a connection stands (Relay cursor connections).',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More items follow the last one of this page.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'More items precede the first one of this page.' }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: 'Cursor of the first item, null for an empty page.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Cursor of the last item, null for an empty page.' }),
  }),
});
