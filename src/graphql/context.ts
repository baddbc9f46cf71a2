// What every resolver receives; a fresh object per request, so DataLoaders never outlive one request.
import type { Logger } from 'pino';
import type { ChatService } from '../service/chat-service.js';

export interface GraphQLContext {
  service: ChatService;
  logger: Logger;
  requestId: string;
}
