// The canned text of the demo reply, in the chunks it is streamed in (no model is called).
export const DEMO_REPLY =
  'This is a demo reply, streamed a few words at a time with startMessage, appendMessageContent and finishMessage. ' +
  'No model is called: the page itself is the writer. Open this chat in another tab to watch it grow there through ' +
  'messageStream, or reload this one halfway: the reply goes on from the last chunk the server stored, with nothing ' +
  'lost and nothing said twice.';

/** The reply cut after every third word (each chunk keeps its spaces, so the chunks join back into the text). */
export const DEMO_REPLY_CHUNKS: readonly string[] = (DEMO_REPLY.match(/(?:\S+\s*){1,3}/g) ?? []).map((chunk) => chunk);
