// Scalars (DateTime, JSONObject) and the MessageRole enum.
import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import { isJsonObject, type JsonObject } from '../../domain/json.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../../domain/message.js';
import { ROLES, type Role } from '../../domain/roles.js';
import type { TokenEncoding } from '../../service/tokens.js';
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

const statusDescriptions: Record<MessageStatus, string> = {
  complete: 'Written whole (addMessage), or finished by its writer as complete.',
  streaming: 'Being written: startMessage created it and its content arrives in chunks.',
  incomplete: 'Cut short: its writer finished it as incomplete, or no chunk arrived within the stream idle timeout. Its content is what arrived.',
};

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  description: 'Where a message stands in its life.',
  values: Object.fromEntries(MESSAGE_STATUSES.map((status) => [status.toUpperCase(), { value: status, description: statusDescriptions[status] }])) as Record<
    Uppercase<MessageStatus>,
    { value: MessageStatus; description: string }
  >,
});

export const TokenEncodingEnum = builder.enumType('TokenEncoding', {
  description: 'Token encodings of OpenAI models: o200k_base (GPT-4o and later), cl100k_base (GPT-4, GPT-3.5).',
  values: {
    O200K_BASE: { value: 'o200k_base' as TokenEncoding, description: 'GPT-4o, GPT-4.1, o-series and later.' },
    CL100K_BASE: { value: 'cl100k_base' as TokenEncoding, description: 'GPT-4 and GPT-3.5.' },
  },
});
