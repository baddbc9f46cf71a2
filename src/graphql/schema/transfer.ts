// importConversations: a file of conversations uploaded with the GraphQL multipart request spec, imported into a
// project; the File scalar, ImportFormat and the report.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import { ValidationError } from '../../domain/errors.js';
import type { ImportProblem, ImportReport } from '../../transfer/import-file.js';
import { builder } from '../builder.js';
import { SessionRef } from './refs.js';

builder.scalarType('File', {
  description: 'A file uploaded with the GraphQL multipart request spec (input only).',
  serialize: () => {
    throw new GraphQLError('File is an input type only');
  },
  parseValue: (value) => {
    // Yoga hands over the File of the fetch implementation it runs on (Node's own, or its ponyfill's on node:http).
    const file = value as Partial<File> | null;
    if (typeof file?.stream !== 'function' || typeof file.name !== 'string') {
      throw new GraphQLError('File must be a file part of a multipart request', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return value as File;
  },
});

const ImportFormatEnum = builder.enumType('ImportFormat', {
  description: 'What an import file holds.',
  values: {
    AUTO: { value: 'auto', description: 'Decide from the content.' },
    NATIVE: { value: 'native', description: "This service's own JSON export (lossless)." },
    CHATGPT: { value: 'chatgpt', description: "ChatGPT's data export: conversations.json (or its split conversations-NNN.json files, or the .zip as downloaded)." },
    OPEN_WEBUI: { value: 'open-webui', description: "Open WebUI's chat export (a JSON array of chats with history.messages)." },
  } as const,
});

const ImportProblemRef = builder.objectRef<ImportProblem>('ImportProblem').implement({
  description: 'Something of the file that was not imported, or was imported in a changed form.',
  fields: (t) => ({
    item: t.exposeString('item', { description: 'Which item of the file: its title or id and position.' }),
    message: t.exposeString('message', { description: 'What happened to it.' }),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport>('ImportReport').implement({
  description: 'What an import did (or, on a dry run, would do).',
  fields: (t) => ({
    format: t.field({ type: ImportFormatEnum, description: 'The format read.', resolve: (report) => report.format }),
    dryRun: t.exposeBoolean('dryRun', { description: 'Nothing was written.' }),
    imported: t.exposeInt('imported', { description: 'Conversations that became sessions (or would, on a dry run).' }),
    skipped: t.exposeInt('skipped', { description: 'Conversations imported before into this project (same source id): left alone.' }),
    messages: t.exposeInt('messages', { description: 'Messages in the imported sessions.' }),
    problems: t.field({ type: [ImportProblemRef], description: 'Conversations not imported, and what was changed to import others.', resolve: (report) => report.problems }),
    sessions: t.field({ type: [SessionRef], description: 'The sessions created; empty on a dry run.', resolve: (report) => report.sessions }),
  }),
});

const ImportConversationsSuccess = builder.objectRef<{ report: ImportReport }>('ImportConversationsSuccess').implement({
  description: 'The file was read; the report says what became of each conversation.',
  fields: (t) => ({ report: t.field({ type: ImportReportRef, description: 'What the import did.', resolve: (r) => r.report }) }),
});

/** Writes an upload to a temp file (imports read a file twice: once to check it, once to write). */
async function spooled<T>(file: File, work: (filePath: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'import-'));
  try {
    const filePath = path.join(dir, 'upload');
    // Read through its reader: the stream may be the ponyfill's, which Node's stream helpers do not take.
    const reader = file.stream().getReader();
    async function* chunks() {
      for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
    }
    await pipeline(Readable.from(chunks()), createWriteStream(filePath));
    return await work(filePath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

builder.mutationField('importConversations', (t) =>
  t.field({
    type: ImportConversationsSuccess,
    description: 'Import conversations from a file; nothing is written when dryRun is true or the file cannot be read at all (ValidationError).',
    errors: { types: [ValidationError], directResult: true, union: { name: 'ImportConversationsResult', description: 'The report, or why the file could not be read.' } },
    args: {
      projectId: t.arg.id({ required: true, description: 'The project to import into.' }),
      file: t.arg({ type: 'File', required: true, description: 'The export file: JSON, NDJSON or a .zip.' }),
      format: t.arg({ type: ImportFormatEnum, defaultValue: 'auto', description: 'What the file holds (default: decided from the content).' }),
      dryRun: t.arg.boolean({ defaultValue: false, description: 'Read and report; write nothing.' }),
    },
    resolve: async (_root, args, { service }) => ({
      report: await spooled(args.file, (filePath) => service.importConversations(args.projectId, { path: filePath, label: args.file.name || 'upload' }, { format: args.format, dryRun: args.dryRun })),
    }),
  }),
);
