// Scenario 10: streamed messages. (1) 64 streams over HTTP, each in its own session, appending ~20-character chunks as
// fast as they are acknowledged, against REST POSTs with 64 connections, same server, same client, same run; with
// the fdatasyncs per chunk (the stream journal's batches, from /metrics). (2) Delivery: 200 SSE subscribers of
// messageStream on 20 streams, from a chunk's acknowledgement to its arrival at each subscriber. (3) Session.context
// (maxTokens 8000) on a 100 000-message branch against a 100-message one.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pino } from 'pino';
import { ChatService } from '../../src/service/chat-service.js';
import { FileStore } from '../../src/store/file/file-store.js';
import { writeSessionFixture } from '../../test/helpers/session-fixture.js';
import { startProcess } from '../../test/helpers/server-process.js';
import { postJson } from '../lib/http.js';
import { SERVER } from '../lib/server.js';
import { latency, median, percentile, ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

const root = path.resolve(import.meta.dirname, '../..');
const STREAMS = 64;

async function runner(input: unknown): Promise<{ acknowledged: number; failed: number; seconds: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/lib/stream-runner.ts'), JSON.stringify(input)], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  await once(child, 'exit');
  return JSON.parse(out);
}

async function counter(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

export const streaming: Scenario = {
  id: 'streaming',
  title: 'Streamed messages: 64 streams vs REST POSTs, delivery to 200 subscribers, context on 100 000 vs 100 messages',
  async run({ quick, workDir, progress }) {
    const server = await startProcess(SERVER, { DATA_DIR: path.join(workDir, 'server') });
    const gql = (query: string, variables: Record<string, unknown>) => postJson(`${server.base}/graphql`, { query, variables });
    const newSession = async () => (await postJson(`${server.base}/api/projects/bench/sessions`, { title: 'stream' })).id as string;
    const start = async (sessionId: string) =>
      (await gql('mutation($s: ID!) { startMessage(projectId: "bench", sessionId: $s, input: { role: ASSISTANT }) { ... on StartMessageSuccess { message { id } } } }', { s: sessionId })).data.startMessage.message.id as string;
    const seconds = quick ? 3 : 6;
    const chunkRates: number[] = [];
    const postRates: number[] = [];
    const messageRates: number[] = [];
    const syncsPerChunk: number[] = [];
    let failures = 0;
    const delivery: number[] = [];
    let contextSamples = { short: [] as number[], long: [] as number[] };
    try {
      const postSession = await newSession();
      // Warm-up, thrown away: both paths measured with their code optimised, as in a long-running server.
      const warmTargets = await Promise.all(Array.from({ length: STREAMS }, async () => {
        const sessionId = await newSession();
        return { projectId: 'bench', sessionId, messageId: await start(sessionId) };
      }));
      await runner({ origin: server.base, mode: 'chunks', seconds: 3, targets: warmTargets, connections: STREAMS });
      await runner({ origin: server.base, mode: 'posts', seconds: 3, targets: [{ projectId: 'bench', sessionId: postSession }], connections: STREAMS });
      for (let rep = 0; rep < (quick ? 2 : 4); rep++) {
        const sessions = await Promise.all(Array.from({ length: STREAMS }, () => newSession()));
        const targets = await Promise.all(sessions.map(async (sessionId) => ({ projectId: 'bench', sessionId, messageId: await start(sessionId) })));
        const batchesBefore = await counter(server.base, 'store_stream_chunk_batches_total');
        const chunksBefore = await counter(server.base, 'store_stream_chunks_total');
        const chunks = await runner({ origin: server.base, mode: 'chunks', seconds, targets, connections: STREAMS });
        const batches = (await counter(server.base, 'store_stream_chunk_batches_total')) - batchesBefore;
        const durable = (await counter(server.base, 'store_stream_chunks_total')) - chunksBefore;
        const posts = await runner({ origin: server.base, mode: 'posts', seconds, targets: [{ projectId: 'bench', sessionId: postSession }], connections: STREAMS });
        const messages = await runner({ origin: server.base, mode: 'messages', seconds, targets: [{ projectId: 'bench', sessionId: postSession }], connections: STREAMS });
        failures += chunks.failed + posts.failed + messages.failed;
        messageRates.push(messages.acknowledged / messages.seconds);
        chunkRates.push(chunks.acknowledged / chunks.seconds);
        postRates.push(posts.acknowledged / posts.seconds);
        syncsPerChunk.push(batches / Math.max(1, durable));
        progress(`streams ${Math.round(chunkRates.at(-1)!)} chunks/s, REST ${Math.round(postRates.at(-1)!)} posts/s, GraphQL addMessage ${Math.round(messageRates.at(-1)!)}/s, ${round(syncsPerChunk.at(-1)!)} fdatasyncs per chunk`);
      }

      // Delivery: 20 streams, 10 SSE subscribers each; a writer per stream appends a chunk every 25 ms.
      const streams = await Promise.all(Array.from({ length: 20 }, async () => {
        const sessionId = await newSession();
        return { sessionId, messageId: await start(sessionId), acked: new Map<number, number>() };
      }));
      const QUERY = 'subscription($s: ID!, $m: ID!) { messageStream(projectId: "bench", sessionId: $s, messageId: $m) { chunk { index } } }';
      const abort = new AbortController();
      const subscribers = streams.flatMap((stream) =>
        Array.from({ length: 10 }, async () => {
          const response = await fetch(`${server.base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
            body: JSON.stringify({ query: QUERY, variables: { s: stream.sessionId, m: stream.messageId } }),
            signal: abort.signal,
          });
          const decoder = new TextDecoder();
          let buffer = '';
          try {
            for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
              const arrived = performance.now();
              buffer += decoder.decode(part, { stream: true });
              for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
                const index = /"index":(\d+)/.exec(buffer.slice(0, end))?.[1];
                buffer = buffer.slice(end + 2);
                const acked = index === undefined ? undefined : stream.acked.get(Number(index));
                if (acked !== undefined) delivery.push(arrived - acked);
              }
            }
          } catch (error) {
            if ((error as Error).name !== 'AbortError') throw error;
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const until = performance.now() + (quick ? 3000 : 6000);
      await Promise.all(
        streams.map(async (stream) => {
          for (let i = 0; performance.now() < until; i++) {
            const answer = await gql('mutation($s: ID!, $m: ID!, $i: Int!) { appendMessageContent(projectId: "bench", sessionId: $s, messageId: $m, index: $i, chunk: "twenty chars, about ") { __typename } }', {
              s: stream.sessionId,
              m: stream.messageId,
              i,
            });
            if (answer.data?.appendMessageContent.__typename !== 'AppendContentSuccess') failures += 1;
            stream.acked.set(i, performance.now());
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      abort.abort();
      await Promise.all(subscribers);
      progress(`delivery: ${delivery.length} deliveries, p50 ${round(percentile(delivery, 50))} ms, p99 ${round(percentile(delivery, 99))} ms`);
    } finally {
      await server.stop();
    }

    // Context: the service over the file store, a 100 000-message branch and a 100-message one.
    const contextDir = path.join(workDir, 'context');
    // Messages of ~500 bytes (~110 tokens): 8 000 tokens hold ~70 of them, so both branches are cut to the same size and
    // the ratio shows what the branch's length costs, not a difference in how much fits.
    const long = await writeSessionFixture(contextDir, 'bench', 100_000, 500);
    const short = await writeSessionFixture(contextDir, 'bench', 100, 500);
    const store = new FileStore({ dataDir: contextDir, logger: pino({ level: 'silent' }) });
    await store.catchUpSearch(); // the search index of the fixtures, built before anything is measured
    const service = new ChatService({ store, maxMessageBytes: 256 * 1024 });
    try {
      const context = (session: typeof long.session) => async () => {
        const window = await service.context(session, { maxTokens: 8000, encoding: 'o200k_base' });
        if (!window.truncated) throw new Error('the context did not fill up');
      };
      await context(long.session)();
      await context(short.session)();
      contextSamples = { short: [], long: [] };
      for (let rep = 0; rep < (quick ? 3 : 7); rep++) {
        contextSamples.short.push((await latency(context(short.session), { iterations: 100, timeMs: quick ? 150 : 400 })).p50);
        contextSamples.long.push((await latency(context(long.session), { iterations: 100, timeMs: quick ? 150 : 400 })).p50);
      }
      progress(`context: 100 messages ${round(median(contextSamples.short))} ms, 100 000 messages ${round(median(contextSamples.long))} ms`);
    } finally {
      await store.close();
    }

    const rateRatios = chunkRates.map((rate, i) => rate / postRates[i]!);
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: '64 streams: chunks acknowledged', value: round(median(chunkRates)), unit: 'chunks/s' },
        { name: 'REST POST, 64 connections', value: round(median(postRates)), unit: 'messages/s' },
        { name: 'GraphQL addMessage, 64 connections', value: round(median(messageRates)), unit: 'messages/s' },
        { name: 'fdatasyncs per chunk', value: round(median(syncsPerChunk)), unit: '' },
        { name: 'delivery to 200 SSE subscribers on 20 streams: p50', value: round(percentile(delivery, 50)), unit: 'ms' },
        { name: 'delivery to 200 SSE subscribers on 20 streams: p99', value: round(percentile(delivery, 99)), unit: 'ms' },
        { name: 'deliveries measured', value: delivery.length, unit: '' },
        { name: 'context(8000) on 100 messages: p50', value: round(median(contextSamples.short)), unit: 'ms' },
        { name: 'context(8000) on 100 000 messages: p50', value: round(median(contextSamples.long)), unit: 'ms' },
      ],
      ratios: [
        ratio('64 streams chunks/s / REST POSTs/s (64 connections)', round(median(rateRatios)), '>= 0.8'),
        ratio('64 streams chunks/s / GraphQL addMessage/s (64 connections)', round(median(chunkRates.map((rate, i) => rate / messageRates[i]!))), '>= 0'),
        ratio('fdatasyncs per chunk', round(median(syncsPerChunk)), '<= 0.25'),
        ratio('context(8000): 100 000-message branch / 100-message branch', round(median(contextSamples.long) / median(contextSamples.short)), '<= 2'),
        ratio('failed chunks and posts', failures, '<= 0'),
      ],
    };
  },
};
