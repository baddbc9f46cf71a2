// What every resolver receives; a fresh object per request, so DataLoaders never outlive one request.
import type { Logger } from 'pino';
import type { ChatService } from '../service/chat-service.js';
import type { RequestLoaders } from './loaders.js';

export interface GraphQLContext {
  service: ChatService;
  /** This request's DataLoaders, over `service`. */
  loaders: RequestLoaders;
  logger: Logger;
  requestId: string;
  /** True for a request without a token while auth is on: only Query.sharedConversation may run. */
  anonymous: boolean;
}
