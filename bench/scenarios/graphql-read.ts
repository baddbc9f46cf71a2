// Scenario 4: a GraphQL read of 20 sessions x 20 messages over HTTP, against a hand-written node:http endpoint
// answering the same JSON from the same store, and against two GraphQL servers a team could pick instead, serving the
// same query over the same store (bench/peers/): bare graphql-yoga + SDL + graphql-jit, and mercurius + graphql-jit.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { startProcess } from '../../test/helpers/server-process.js';
import { SERVER } from '../lib/server.js';
import { type LoadResult, load, medianRate, postJson, warmUp } from '../lib/http.js';
import { median, ratio, round } from '../lib/stats.js';
import type { Scenario } from '../lib/types.js';

export const PROJECT_QUERY = `query Project($id: ID!) {
  project(id: $id) { sessions { id title messageCount messages(limit: 20) { id sequence role content createdAt } } }
}`;

/** 20 sessions of 20 messages each, made through the real API. */
async function seed(base: string): Promise<void> {
  for (let s = 0; s < 20; s++) {
    const created = await postJson(`${base}/api/projects/bench/sessions`, { title: `session ${s}` });
    for (let m = 0; m < 20; m++) {
      await postJson(`${base}/api/projects/bench/sessions/${created.id}/messages`, { role: m % 2 ? 'assistant' : 'user', content: `message ${m} of session ${s}` });
    }
  }
}

export const graphqlRead: Scenario = {
  id: 'graphql-read',
  title: 'GraphQL read of 20 sessions x 20 messages over HTTP vs a raw node:http endpoint',
  async run({ quick, workDir, progress }) {
    const gqlDir = path.join(workDir, 'graphql');
    const rawDir = path.join(workDir, 'raw');
    const seeding = await startProcess(SERVER, { DATA_DIR: gqlDir });
    await seed(seeding.base);
    await seeding.stop();
    await cp(gqlDir, rawDir, { recursive: true });
    const peerDirs = { yoga: path.join(workDir, 'yoga'), mercurius: path.join(workDir, 'mercurius') };
    for (const dir of Object.values(peerDirs)) await cp(gqlDir, dir, { recursive: true });

    const server = await startProcess(SERVER, { DATA_DIR: gqlDir });
    const raw = await startProcess('bench/baseline-server.ts', { DATA_DIR: rawDir });
    const yoga = await startProcess('bench/peers/yoga-server.ts', { DATA_DIR: peerDirs.yoga });
    const mercurius = await startProcess('bench/peers/mercurius-server.ts', { DATA_DIR: peerDirs.mercurius });
    const seconds = quick ? 3 : 8;
    const gql: LoadResult[] = [];
    const base: LoadResult[] = [];
    const peers = { yoga: [] as LoadResult[], mercurius: [] as LoadResult[] };
    try {
      const body = { query: PROJECT_QUERY, variables: { id: 'bench' } };
      const check = await postJson(`${server.base}/graphql`, body);
      if (check.data?.project.sessions.length !== 20 || check.data.project.sessions[0].messages.length !== 20) throw new Error('graphql answer is not 20 x 20');
      for (const peer of [yoga, mercurius]) {
        const answer = await postJson(`${peer.base}/graphql`, body);
        if (JSON.stringify(answer) !== JSON.stringify(check)) throw new Error(`the peer at ${peer.base} answers differently: ${JSON.stringify(answer).slice(0, 200)}`);
      }
      await warmUp(`${raw.base}/bench`, { connections: 16, quick });
      await warmUp(`${server.base}/graphql`, { connections: 16, quick, method: 'POST', body });
      await warmUp(`${yoga.base}/graphql`, { connections: 16, quick, method: 'POST', body });
      await warmUp(`${mercurius.base}/graphql`, { connections: 16, quick, method: 'POST', body });
      // Interleaved: each repetition measures every server once, one at a time.
      for (let rep = 0; rep < (quick ? 2 : 3); rep++) {
        base.push(await load(`${raw.base}/bench`, { connections: 16, seconds }));
        gql.push(await load(`${server.base}/graphql`, { connections: 16, seconds, method: 'POST', body }));
        peers.yoga.push(await load(`${yoga.base}/graphql`, { connections: 16, seconds, method: 'POST', body }));
        peers.mercurius.push(await load(`${mercurius.base}/graphql`, { connections: 16, seconds, method: 'POST', body }));
        const rate = (x: LoadResult[]) => Math.round(x.at(-1)!.requestsPerSecond);
        progress(`repetition ${rep + 1}: raw ${rate(base)}, service ${rate(gql)}, bare yoga ${rate(peers.yoga)}, mercurius ${rate(peers.mercurius)} req/s`);
      }
    } finally {
      await Promise.all([server.stop(), raw.stop(), yoga.stop(), mercurius.stop()]);
    }
    /** The service's rate over another's, repetition by repetition (each pair measured back to back), median. */
    const against = (other: LoadResult[]) => median(gql.map((g, i) => g.requestsPerSecond / other[i]!.requestsPerSecond));
    return {
      id: this.id,
      title: this.title,
      figures: [
        { name: 'raw node:http endpoint', value: round(medianRate(base)), unit: 'req/s' },
        { name: 'GraphQL (Yoga + Pothos + DataLoader)', value: round(medianRate(gql)), unit: 'req/s' },
        { name: 'peer: bare graphql-yoga + SDL + graphql-jit', value: round(medianRate(peers.yoga)), unit: 'req/s' },
        { name: 'peer: mercurius + graphql-jit', value: round(medianRate(peers.mercurius)), unit: 'req/s' },
        { name: 'GraphQL p99', value: median(gql.map((x) => x.p99)), unit: 'ms' },
        { name: 'GraphQL non-2xx + errors', value: gql.reduce((n, x) => n + x.non2xx + x.errors, 0), unit: '' },
      ],
      ratios: [
        ratio('GraphQL req/s / raw req/s', against(base), '>= 0.5'),
        ratio('GraphQL req/s / bare graphql-yoga + SDL + graphql-jit req/s', against(peers.yoga), '>= 1'),
        ratio('GraphQL req/s / mercurius + graphql-jit req/s (goal)', against(peers.mercurius), '>= 1'),
      ],
    };
  },
};
