// Reads the items of an import file one at a time, streaming, so memory does not grow with the file: a JSON array
// (each element), JSON values one after another (NDJSON, or one object), or a .zip as ChatGPT's export downloads
// (its conversations.json or conversations-NNN.json entries, read as they are unpacked).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { JSONParser } from '@streamparser/json';
import yauzl from 'yauzl';
import { ValidationError } from '../domain/errors.js';

/** An item of the file and where it stands (its index, and the zip entry it came from). */
export interface FileItem {
  value: unknown;
  index: number;
  entry: string | null;
}

const CONVERSATIONS_ENTRY = /(^|\/)conversations(-\d+)?\.json$/;

function unreadable(message: string): ValidationError {
  return new ValidationError([{ path: ['file'], message }]);
}

/** The first bytes of a file (after a UTF-8 byte order mark and white space, for JSON). */
async function sniff(file: string): Promise<'zip' | 'json' | 'empty' | 'other'> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text === '') return bytesRead === 0 ? 'empty' : 'other';
    return text[0] === '[' || text[0] === '{' ? 'json' : 'other';
  } finally {
    await handle.close();
  }
}

/**
 * The JSON values of a stream: each element of a top-level array, or each top-level value (NDJSON, or one object),
 * as its first character says. ValidationError for anything else or any syntax error.
 */
async function* jsonItems(stream: AsyncIterable<Buffer | string>, label: string): AsyncGenerator<unknown> {
  let parser: JSONParser | null = null;
  const ready: unknown[] = [];
  let first = true;
  try {
    for await (const raw of stream) {
      let chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      // A UTF-8 byte order mark is not JSON; chunks are passed as bytes (one may end inside a character).
      if (first && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      first = false;
      if (!parser) {
        const start = chunk.toString('latin1').trimStart()[0];
        if (start === undefined) continue;
        if (start !== '[' && start !== '{') throw new Error(`it starts with "${start}"`);
        parser = new JSONParser(start === '[' ? { paths: ['$.*'], keepStack: false } : { paths: ['$'], keepStack: false, separator: '' });
        parser.onValue = ({ value }) => {
          ready.push(value);
        };
      }
      parser.write(chunk);
      while (ready.length > 0) yield ready.shift();
    }
    if (parser && !parser.isEnded) parser.end();
  } catch (error) {
    throw unreadable(`${label} is not valid JSON: ${(error as Error).message}`);
  }
  while (ready.length > 0) yield ready.shift();
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zip) => (error ? reject(unreadable(`not a readable zip: ${error.message}`)) : resolve(zip)));
  });
}

/** The entries of a zip named like ChatGPT's conversation files, each with a stream of its bytes, one at a time. */
async function* zipEntries(file: string): AsyncGenerator<{ name: string; stream: NodeJS.ReadableStream }> {
  const zip = await openZip(file);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          zip.off('end', onEnd);
          zip.off('error', onError);
          resolve(e);
        };
        const onEnd = () => {
          zip.off('entry', onEntry);
          zip.off('error', onError);
          resolve(null);
        };
        const onError = (error: Error) => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          reject(unreadable(`not a readable zip: ${error.message}`));
        };
        zip.once('entry', onEntry);
        zip.once('end', onEnd);
        zip.once('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (!CONVERSATIONS_ENTRY.test(entry.fileName)) continue;
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
        zip.openReadStream(entry, (error, s) => (error ? reject(unreadable(`zip entry ${entry.fileName}: ${error.message}`)) : resolve(s)));
      });
      yield { name: entry.fileName, stream };
    }
  } finally {
    zip.close();
  }
}

/** Every item of an import file, in order; ValidationError when the file is not JSON, NDJSON or such a zip. */
export async function* readItems(file: string, label: string): AsyncGenerator<FileItem> {
  const kind = await sniff(file);
  if (kind === 'empty') throw unreadable(`${label} is empty`);
  if (kind === 'other') throw unreadable(`${label} is neither JSON nor a zip`);
  let index = 0;
  if (kind !== 'zip') {
    for await (const value of jsonItems(createReadStream(file), label)) yield { value, index: index++, entry: null };
    return;
  }
  let found = false;
  for await (const { name, stream } of zipEntries(file)) {
    found = true;
    for await (const value of jsonItems(stream as AsyncIterable<Buffer>, `${label}: ${name}`)) yield { value, index: index++, entry: name };
  }
  if (!found) throw unreadable(`${label} holds no conversations.json (nor conversations-NNN.json)`);
}
