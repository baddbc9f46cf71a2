// Builds the GraphQL schema: imports every type file, then asks the builder for the schema.
import { builder } from '../builder.js';
import './scalars.js';
import './errors.js';
import './page-info.js';
import './message.js';
import './session.js';
import './project.js';
import './subscription.js';
import './share.js';
import './search.js';
import './transfer.js';

builder.queryType({ description: 'Reads. Every read names its project.' });
builder.mutationType({ description: 'Writes. Expected failures are members of each result union, never thrown.' });

export const schema = builder.toSchema({ sortSchema: false });
