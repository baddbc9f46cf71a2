// What stores announce for observability, on diagnostics channels: nothing is built or sent without a subscriber.
import diagnosticsChannel from 'node:diagnostics_channel';

/** Every durable append batch: `{ size: messages, seconds: write + sync }`. */
export const appendChannel = diagnosticsChannel.channel('chat-session-service:store:append-batch');

/** Every durable batch of streamed chunks (file store: one fdatasync): `{ chunks, seconds: write + sync }`. */
export const streamChannel = diagnosticsChannel.channel('chat-session-service:store:chunk-batch');
