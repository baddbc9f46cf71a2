// The in-memory conversation tree of an open log: paths read a straight run at a time must name exactly the messages a
// walk from the leaf, one parent at a time, finds, and the newest message below each one is the one a search of every
// descendant finds; checked on random trees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageTree } from '../../src/store/file/message-tree.js';

/** The path by walking parents one at a time, as runs of consecutive sequence numbers. */
function walkedPath(parents: readonly number[], leaf: number, from: number, to: number): [number, number][] {
  const chain: number[] = [];
  for (let seq = leaf; seq !== 0; seq = parents[seq - 1]!) chain.push(seq);
  chain.reverse();
  const runs: [number, number][] = [];
  chain.slice(from - 1, to).forEach((seq) => {
    const last = runs.at(-1);
    if (last && last[1] + 1 === seq) last[1] = seq;
    else runs.push([seq, seq]);
  });
  return runs;
}

/** The newest of `seq` and all its descendants, by testing every later message's chain of parents. */
function newestBelow(parents: readonly number[], seq: number): number {
  let newest = seq;
  for (let other = seq + 1; other <= parents.length; other++) {
    for (let up = other; up !== 0; up = parents[up - 1]!) if (up === seq) newest = other;
  }
  return newest;
}

// Each message's parent: mostly the message just before it (a straight conversation), sometimes an earlier one
// (an edit, a regenerated answer), sometimes none (another first message).
const randomTree = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constant(-1) }, { weight: 2, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constant(-2) }), { minLength: 1, maxLength: 300 });
const parentsOf = (choices: readonly number[]) => choices.map((choice, i) => (choice === -1 ? i : choice === -2 ? 0 : choice % (i + 1)));

describe('message tree', () => {
  it('finds the same path as walking parent by parent, on random trees, for every window', () => {
    fc.assert(
      fc.property(randomTree, fc.nat(), fc.nat(), fc.nat(), (choices, leafPick, a, b) => {
        const parents = parentsOf(choices);
        const built = new MessageTree();
        for (const parent of parents) built.add({ parent, idHash: 0 });
        const leaf = (leafPick % parents.length) + 1;
        const depth = built.depthOf(leaf);
        const from = (a % depth) + 1;
        const to = from + (b % (depth - from + 1));
        expect(built.path(leaf, from, to)).toEqual(walkedPath(parents, leaf, from, to));
      }),
      { numRuns: 500 },
    );
  });

  it('finds the newest message below every message, on random trees, as the tree grows', () => {
    fc.assert(
      fc.property(randomTree, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (choices, picks) => {
        const parents = parentsOf(choices);
        const built = new MessageTree();
        // Asked for while the tree grows too, so that a table of newest descendants kept from a smaller tree would show.
        parents.forEach((parent, i) => {
          built.add({ parent, idHash: 0 });
          const seq = (picks[i % picks.length]! % (i + 1)) + 1;
          expect(built.newestUnder(seq)).toBe(newestBelow(parents.slice(0, i + 1), seq));
        });
        for (let seq = 1; seq <= parents.length; seq++) expect(built.newestUnder(seq)).toBe(newestBelow(parents, seq));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the opening of a 100 000-message chain without walking it', () => {
    const built = new MessageTree();
    for (let seq = 1; seq <= 100_000; seq++) built.add({ parent: seq - 1, idHash: 0 });
    expect(built.path(100_000, 1, 4)).toEqual([[1, 4]]);
    expect(built.path(100_000, 99_937, 100_000)).toEqual([[99_937, 100_000]]);
  });
});
