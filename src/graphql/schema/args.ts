// Argument schemas shared by query fields: invalid values fail as BAD_USER_INPUT before any resolver runs.
import { z } from 'zod';
import { idSchema } from '../../domain/ids.js';
import { PAGE_MAX } from '../../service/pagination.js';

export const idArg = idSchema;

export function pageSizeArg(min: number) {
  const message = `must be between ${min} and ${PAGE_MAX}`;
  return z.number().int({ error: message }).min(min, { error: message }).max(PAGE_MAX, { error: message }).nullish();
}

export const offsetArg = z.number().int().min(0, { error: 'must be 0 or more' }).nullish();
