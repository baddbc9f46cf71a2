// ChatGPT's data export: one conversation of conversations.json (or of a split conversations-NNN.json) to the shape
// every importer produces. Keeps the tree: hidden messages (weight 0, or marked hidden) and the synthetic root are
// left out, their children attached to the nearest visible ancestor; the active leaf is current_node's nearest visible
// ancestor-or-self. Text parts become content; images and files are listed in metadata.attachments, not in content.
import { isJsonObject, type JsonObject, type JsonValue } from '../domain/json.js';
import { ROLES, type Role } from '../domain/roles.js';
import { type ImportedConversation, type ImportedMessage, isoFromSeconds, UnreadableConversation } from './conversation.js';

const TEXT_TYPES = new Set(['text', 'multimodal_text', 'code', 'execution_output']);

interface Node {
  id: string;
  parent: string | null;
  message: JsonObject | null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Whether an item looks like a ChatGPT conversation (for format detection). */
export function isChatGptConversation(item: unknown): boolean {
  return isJsonObject(item) && isJsonObject(item.mapping);
}

function isHidden(message: JsonObject): boolean {
  const metadata = isJsonObject(message.metadata) ? message.metadata : {};
  return message.weight === 0 || metadata.is_visually_hidden_from_conversation === true;
}

/** The text of a message's content, what is not text (as attachments), and a note for a content type not known. */
function contentOf(content: unknown): { text: string; attachments: JsonValue[]; note: string | null; contentType: string } {
  if (!isJsonObject(content)) return { text: '', attachments: [], note: 'a message without content was kept empty', contentType: 'none' };
  const contentType = str(content.content_type) ?? 'unknown';
  const attachments: JsonValue[] = [];
  const texts: string[] = [];
  if (Array.isArray(content.parts)) {
    for (const part of content.parts) {
      if (typeof part === 'string') texts.push(part);
      else if (isJsonObject(part) && typeof part.text === 'string' && part.content_type === 'text') texts.push(part.text);
      else if (isJsonObject(part)) attachments.push(part);
    }
  }
  if (typeof content.text === 'string') texts.push(content.text);
  if (typeof content.result === 'string') texts.push(content.result);
  const text = texts.filter((t) => t !== '').join('\n\n');
  const note = TEXT_TYPES.has(contentType) ? null : `content type "${contentType}" is not known here; its text was kept`;
  return { text, attachments, note, contentType };
}

function roleOf(value: unknown, notes: string[]): Role {
  if (typeof value === 'string' && (ROLES as readonly string[]).includes(value)) return value as Role;
  notes.push(`author role "${String(value)}" was imported as assistant`);
  return 'assistant';
}

export function fromChatGpt(item: unknown): ImportedConversation {
  if (!isJsonObject(item) || !isJsonObject(item.mapping)) throw new UnreadableConversation('it has no "mapping" of messages');
  const sourceId = str(item.conversation_id) ?? str(item.id);
  if (!sourceId) throw new UnreadableConversation('it has no conversation id');
  const nodes = new Map<string, Node>();
  for (const [key, raw] of Object.entries(item.mapping)) {
    if (!isJsonObject(raw)) throw new UnreadableConversation(`node ${key} is not an object`);
    const parent = raw.parent === null || raw.parent === undefined ? null : str(raw.parent);
    if (parent === null && raw.parent !== null && raw.parent !== undefined) throw new UnreadableConversation(`node ${key} has a parent that is not an id`);
    nodes.set(key, { id: key, parent, message: isJsonObject(raw.message) ? raw.message : null });
  }
  const visible = (node: Node | undefined): boolean => node !== undefined && node.message !== null && !isHidden(node.message);
  // The nearest visible ancestor-or-self of a node (null: none), each answer remembered; a cycle is unreadable.
  const nearest = new Map<string, string | null>();
  const visibleAncestorOrSelf = (id: string | null): string | null => {
    const path: string[] = [];
    let at = id;
    let found: string | null = null;
    while (at !== null) {
      if (nearest.has(at)) {
        found = nearest.get(at)!;
        break;
      }
      const node = nodes.get(at);
      if (!node) break;
      if (path.length > nodes.size) throw new UnreadableConversation('its messages form a cycle');
      path.push(at);
      if (visible(node)) {
        found = at;
        break;
      }
      at = node.parent;
    }
    for (const p of path) nearest.set(p, found);
    return found;
  };
  const notes: string[] = [];
  const messages: ImportedMessage[] = [];
  for (const node of nodes.values()) {
    if (!visible(node)) continue;
    const message = node.message!;
    const author = isJsonObject(message.author) ? message.author : {};
    const { text, attachments, note, contentType } = contentOf(message.content);
    if (note && !notes.includes(note)) notes.push(note);
    const metadata: JsonObject = { chatgpt: { id: node.id, contentType, ...(typeof author.name === 'string' ? { author: author.name } : {}), ...(typeof message.recipient === 'string' && message.recipient !== 'all' ? { recipient: message.recipient } : {}) } };
    if (attachments.length > 0) metadata.attachments = attachments;
    const model = isJsonObject(message.metadata) ? str(message.metadata.model_slug) : null;
    if (model) (metadata.chatgpt as JsonObject).model = model;
    messages.push({
      sourceId: node.id,
      parentSourceId: node.parent === null ? null : visibleAncestorOrSelf(node.parent),
      role: roleOf(author.role, notes),
      content: text,
      metadata,
      createdAt: isoFromSeconds(message.create_time),
      updatedAt: isoFromSeconds(message.update_time),
    });
  }
  const current = str(item.current_node);
  return {
    format: 'chatgpt',
    sourceId,
    title: str(item.title) ?? '',
    createdAt: isoFromSeconds(item.create_time),
    updatedAt: isoFromSeconds(item.update_time),
    messages,
    activeLeafSourceId: current === null ? null : visibleAncestorOrSelf(current),
    pinned: item.is_starred === true,
    archived: item.is_archived === true,
    tags: [],
    metadata: {},
    notes,
  };
}
