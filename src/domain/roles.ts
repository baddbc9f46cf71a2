// The roles a message can have, in the order the stores number them. Kept apart from message.ts (and so from zod),
// because the search index's thread needs them and nothing else of the domain.
export const ROLES = ['user', 'assistant', 'system', 'tool'] as const;
export type Role = (typeof ROLES)[number];
