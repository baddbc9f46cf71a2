// Configures the Pothos SchemaBuilder (plugins, context and scalar types); defines no types itself.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import ValidationPlugin from '@pothos/plugin-validation';
import { GraphQLError } from 'graphql';
import type { JsonObject } from '../domain/json.js';
import type { GraphQLContext } from './context.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: string; Output: string | Date };
    JSONObject: { Input: JsonObject; Output: JsonObject };
    File: { Input: File; Output: never };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ErrorsPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  errors: { defaultTypes: [] },
  validation: {
    // Arguments outside the result unions (ids of queries, page sizes) fail as plain GraphQL errors a client can recognise.
    validationError: (result) => {
      const issues = result.issues.map((issue) => ({
        path: (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)),
        message: issue.message,
      }));
      return new GraphQLError(issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {
        extensions: { code: 'BAD_USER_INPUT', issues },
      });
    },
  },
});
