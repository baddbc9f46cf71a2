// JSON object values (session and message metadata).
import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain JSON object: not null, not an array, not a class instance. */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The size of a value serialized as JSON, in UTF-8 bytes. */
export function jsonBytes(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** zod schema of a JSON object whose serialized form is at most `maxBytes` UTF-8 bytes. */
export function jsonObjectSchema(maxBytes: number) {
  return z
    .custom<JsonObject>((value) => isJsonObject(value), { error: 'must be a JSON object' })
    .superRefine((value, ctx) => {
      let size: number;
      try {
        size = jsonBytes(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be serializable as JSON' });
        return;
      }
      if (size > maxBytes) ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes as JSON (got ${size})` });
    });
}
