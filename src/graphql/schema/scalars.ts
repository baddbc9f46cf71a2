// Scalars (DateTime, JSONObject) and the MessageRole enum.
import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import { ROLES, type Role } from '../../domain/message.js';
import { builder } from '../builder.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time string', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return new Date(value).toISOString();
}

builder.scalarType('DateTime', {
  description: 'A point in time, as an ISO 8601 string in UTC with milliseconds, e.g. 2026-01-31T12:00:00.000Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseJsonObject(value: unknown): JsonObject {
  if (!isJsonObject(value)) {
    throw new GraphQLError('JSONObject must be a JSON object', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

builder.scalarType('JSONObject', {
  description: 'An arbitrary JSON object (not an array, string or null), e.g. {"source": "web"}.',
  serialize: (value) => value,
  parseValue: parseJsonObject,
  parseLiteral: (ast, variables) => parseJsonObject(valueFromASTUntyped(ast, variables)),
});

const roleDescriptions: Record<Role, string> = {
  user: 'Written by the person in the conversation.',
  assistant: 'Written by the assistant (model) answering.',
  system: 'Instructions that frame the conversation.',
  tool: 'The output of a tool the assistant called.',
};

export const MessageRoleEnum = builder.enumType('MessageRole', {
  description: 'Who wrote a message.',
  values: Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), { value: role, description: roleDescriptions[role] }])) as Record<
    Uppercase<Role>,
    { value: Role; description: string }
  >,
});
