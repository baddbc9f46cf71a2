// Argument schemas of query fields, checked once per field before its resolver runs: an invalid id fails as
// BAD_USER_INPUT without reaching the service. Page sizes and cursors are the service's to check (it answers the
// REST shim too), so they are not repeated here.
import { idSchema } from '../../domain/ids.js';

export const idArg = idSchema;
