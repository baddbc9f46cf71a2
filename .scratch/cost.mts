import { parse, validate } from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { schema } from '../src/graphql/schema/index.ts';
for (const q of [
  'query($p: ID!, $s: ID!) { session(projectId: $p, id: $s) { title isActive messagesConnection(first: 1000) { totalCount edges { node { id role content createdAt } } } } }',
  'query($p: ID!, $s: ID!) { session(projectId: $p, id: $s) { messagesConnection(first: 1000) { edges { node { id } } } } }',
  'query($p: ID!, $s: ID!) { session(projectId: $p, id: $s) { title } }',
  '{ project(id: "p") { sessionsConnection(first: 20) { edges { cursor node { id messagesConnection(last: 5) { edges { cursor node { id role content createdAt metadata } } pageInfo { hasPreviousPage startCursor } } } } pageInfo { hasNextPage endCursor } } } }',
]) {
  const errors = validate(schema, parse(q), [costLimitRule({ maxCost: 10 })]);
  console.log(errors.map((e) => e.message).join(' ').match(/found \d+/)?.[0], q.slice(0, 60));
}
