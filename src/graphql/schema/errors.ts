// The Error interface and the expected-failure types that appear in mutation result unions.
import { ConflictError, NotFoundError, ValidationError, type ValidationIssue } from '../../domain/errors.js';
import { typeBrandKey } from '@pothos/core';
import { builder } from '../builder.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Shared by every expected failure: query `... on Error { message }` to handle them all alike.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, in a sentence.' }),
  }),
});

const ValidationIssueRef = builder.objectRef<ValidationIssue>('ValidationIssue').implement({
  description: 'One problem with the input.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Where in the arguments the problem is, e.g. ["input", "title"].' }),
    message: t.exposeString('message', { description: 'What is wrong there.' }),
  }),
});

/**
 * An expected failure as a value inside a result (e.g. one item of a bulk change): a plain object branded with its
 * type, since GraphQL takes an Error instance returned by a resolver as a field error.
 */
export interface ErrorView {
  [typeBrandKey]: string;
  message: string;
  issues: ValidationIssue[];
}

export function errorView(error: ValidationError | NotFoundError | ConflictError): ErrorView {
  return { [typeBrandKey]: error.name, message: error.message, issues: error instanceof ValidationError ? error.issues : [] };
}

const viewOf = (name: string) => (value: unknown) => typeof value === 'object' && value !== null && (value as Partial<ErrorView>)[typeBrandKey] === name;

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input breaks a rule (malformed id, empty title, content too large, ...). Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError || viewOf('ValidationError')(value),
  fields: (t) => ({
    issues: t.field({ type: [ValidationIssueRef], description: 'Every problem found.', resolve: (error) => error.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'No such session in this project. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError || viewOf('NotFoundError')(value),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The write conflicts with the current state: a stale expectedVersion, or deleting a session that has messages without force. Nothing was changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError || viewOf('ConflictError')(value),
});
