// Wraps a real store and counts calls per method, to prove reads are batched (no N+1).
import type { ChatStore } from '../../src/store/store.js';

export function countingStore(inner: ChatStore): { store: ChatStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}
