// Turns zod failures into the service's ValidationError, with paths as strings.
import type { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { idSchema } from '../domain/ids.js';

/** Parses `value` with `schema`, or throws ValidationError listing every issue (paths prefixed with `at`). */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, at: string[] = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({ path: [...at, ...issue.path.map(String)], message: issue.message })),
  );
}


/** A well-formed project id, or ValidationError. */
export function projectIdOf(value: unknown): string {
  return parseInput(idSchema, value, ['projectId']);
}

/** A well-formed session id, or ValidationError. */
export function sessionIdOf(value: unknown): string {
  return parseInput(idSchema, value, ['sessionId']);
}
