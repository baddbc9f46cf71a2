// Identifier rules shared by every transport and store: one pattern, and a generator that always matches it.
import { customAlphabet } from 'nanoid';
import { z } from 'zod';

/** Every project, session and message id matches this; nothing else reaches a store. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** zod schema of an id; its messages leave the name to the path they are reported at. */
export const idSchema = z
  .string({ error: 'must be an id string' })
  .regex(ID_PATTERN, { error: "must be 1-128 characters of A-Z, a-z, 0-9, '_' or '-', starting with a letter or digit" });

/** True when `value` is a well-formed id. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

// Alphanumerics only, so a generated id never starts with '-' or '_'; 21 characters carry ~125 bits.
const generate = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 21);

/** A new random id that matches {@link ID_PATTERN}. */
export function newId(): string {
  return generate();
}
