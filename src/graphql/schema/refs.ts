// Type references shared across schema files, so that files can point at each other's types without import cycles.
import type { Message } from '../../domain/message.js';
import type { Session } from '../../domain/session.js';
import { builder } from '../builder.js';

export const SessionRef = builder.objectRef<Session>('Session');

export const MessageRef = builder.objectRef<Message>('Message');
