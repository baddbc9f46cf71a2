// Open WebUI's chat export: one chat of the exported array (id, title, chat.history.messages with parentId and
// childrenIds, chat.history.currentId, pinned, archived, meta.tags) to the shape every importer produces.
import { isJsonObject, type JsonObject } from '../domain/json.js';
import { ROLES, type Role } from '../domain/roles.js';
import { type ImportedConversation, type ImportedMessage, isoFromSeconds, UnreadableConversation } from './conversation.js';

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Whether an item looks like an Open WebUI chat (for format detection). */
export function isOpenWebUiChat(item: unknown): boolean {
  return isJsonObject(item) && isJsonObject(item.chat) && isJsonObject(item.chat.history);
}

/** Open WebUI writes seconds, and in a few places milliseconds. */
function isoOf(value: unknown): string | null {
  if (typeof value !== 'number') return null;
  return isoFromSeconds(value > 1e11 ? value / 1000 : value);
}

function tagsOf(item: JsonObject, chat: JsonObject): string[] {
  const raw = [...(isJsonObject(item.meta) && Array.isArray(item.meta.tags) ? item.meta.tags : []), ...(Array.isArray(chat.tags) ? chat.tags : [])];
  const tags = raw.map((tag) => (typeof tag === 'string' ? tag : isJsonObject(tag) ? (str(tag.name) ?? '') : '')).filter((tag) => tag.trim() !== '');
  return [...new Set(tags)];
}

export function fromOpenWebUi(item: unknown): ImportedConversation {
  if (!isJsonObject(item) || !isJsonObject(item.chat) || !isJsonObject(item.chat.history)) throw new UnreadableConversation('it has no chat.history');
  const chat = item.chat;
  const history = chat.history as JsonObject;
  const sourceId = str(item.id) ?? str(chat.id);
  if (!sourceId) throw new UnreadableConversation('it has no id');
  if (!isJsonObject(history.messages)) throw new UnreadableConversation('chat.history.messages is not an object');
  const notes: string[] = [];
  const messages: ImportedMessage[] = [];
  for (const [key, raw] of Object.entries(history.messages)) {
    if (!isJsonObject(raw)) throw new UnreadableConversation(`message ${key} is not an object`);
    let role: Role = 'assistant';
    if (typeof raw.role === 'string' && (ROLES as readonly string[]).includes(raw.role)) role = raw.role as Role;
    else notes.push(`role "${String(raw.role)}" of message ${key} was imported as assistant`);
    const metadata: JsonObject = { openWebUi: { id: str(raw.id) ?? key } };
    const model = str(raw.model);
    if (model) (metadata.openWebUi as JsonObject).model = model;
    if (Array.isArray(raw.files) && raw.files.length > 0) metadata.attachments = raw.files;
    messages.push({
      sourceId: str(raw.id) ?? key,
      parentSourceId: str(raw.parentId),
      role,
      content: typeof raw.content === 'string' ? raw.content : '',
      metadata,
      createdAt: isoOf(raw.timestamp),
    });
  }
  return {
    format: 'open-webui',
    sourceId,
    title: str(item.title) ?? str(chat.title) ?? '',
    createdAt: isoOf(item.created_at) ?? isoOf(chat.timestamp),
    updatedAt: isoOf(item.updated_at),
    messages,
    activeLeafSourceId: str(history.currentId),
    pinned: item.pinned === true,
    archived: item.archived === true,
    tags: tagsOf(item, chat),
    metadata: {},
    notes,
  };
}
