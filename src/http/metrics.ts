// Prometheus metrics of one app (its own registry, so several apps in one process never collide).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { appendChannel, streamChannel } from '../store/store-events.js';

export interface Metrics {
  registry: Registry;
  /** Counts and times one HTTP request; `route` is the matched route pattern, never the raw path (bounded labels). */
  observeRequest(labels: { method: string; route: string; status: number; operation: string }, seconds: number): void;
}

export function createMetrics(options: { openSubscriptions: () => number }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route, status and GraphQL operation type.',
    labelNames: ['method', 'route', 'status', 'operation'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and GraphQL operation type.',
    labelNames: ['method', 'route', 'operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const appendLatency = new Histogram({
    name: 'store_append_batch_seconds',
    help: 'Time of one durable append batch (write + fdatasync).',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'store_append_batch_messages',
    help: 'Messages carried by one fdatasync (group commit).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  new Gauge({
    name: 'graphql_open_subscriptions',
    help: 'Subscriptions open right now, over SSE and WebSocket.',
    registers: [registry],
    collect() {
      this.set(options.openSubscriptions());
    },
  });
  // Durable append batches announced by the file store.
  appendChannel.subscribe((message) => {
    const { size, seconds } = message as { size: number; seconds: number };
    batchSize.observe(size);
    appendLatency.observe(seconds);
  });
  // Chunks of streamed messages, and the durable batches (one fdatasync each, file store) that carried them.
  const chunkBatches = new Counter({ name: 'store_stream_chunk_batches_total', help: 'Durable batches of streamed chunks (one fdatasync each).', registers: [registry] });
  const chunks = new Counter({ name: 'store_stream_chunks_total', help: 'Streamed chunks made durable.', registers: [registry] });
  streamChannel.subscribe((message) => {
    chunkBatches.inc();
    chunks.inc((message as { chunks: number }).chunks);
  });
  const seriesByLabels = new Map<string, { count: { inc(): void }; time: { observe(value: number): void } }>();
  return {
    registry,
    observeRequest: ({ method, route, status, operation }, seconds) => {
      // Label sets are few (bounded labels): each one's series are looked up once, not hashed on every request.
      const key = `${method} ${route} ${status} ${operation}`;
      let series = seriesByLabels.get(key);
      if (!series) {
        series = { count: requests.labels(method, route, String(status), operation), time: duration.labels(method, route, operation) };
        seriesByLabels.set(key, series);
      }
      series.count.inc();
      series.time.observe(seconds);
    },
  };
}
