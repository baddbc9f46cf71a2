/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation CreateSession($projectId: ID!, $input: CreateSessionInput!) {\n    createSession(projectId: $projectId, input: $input) {\n      __typename\n      ... on CreateSessionSuccess {\n        session { id projectId title description metadata isActive createdAt updatedAt version messageCount lastMessageAt }\n      }\n      ... on ValidationError { message issues { path message } }\n    }\n  }\n": typeof types.CreateSessionDocument,
    "\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { id title description metadata isActive version updatedAt } }\n      ... on Error { message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n": typeof types.UpdateSessionDocument,
    "\n  mutation DeleteSession($projectId: ID!, $id: ID!, $force: Boolean) {\n    deleteSession(projectId: $projectId, id: $id, force: $force) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { message }\n    }\n  }\n": typeof types.DeleteSessionDocument,
    "\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess {\n        deduplicated\n        message { id projectId sessionId sequence role content metadata createdAt clientMessageId }\n        session { id messageCount lastMessageAt updatedAt version }\n      }\n      # AddMessageSuccess.message is a Message, so the errors' message needs an alias here.\n      ... on Error { errorMessage: message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n": typeof types.AddMessageDocument,
    "\n  query GetSession($projectId: ID!, $id: ID!) {\n    session(projectId: $projectId, id: $id) { id projectId title messageCount version }\n  }\n": typeof types.GetSessionDocument,
    "\n  query ProjectOverview($id: ID!, $includeInactive: Boolean, $limit: Int) {\n    project(id: $id) {\n      id\n      sessions(includeInactive: $includeInactive) {\n        id\n        title\n        isActive\n        messageCount\n        messages(limit: $limit) { sequence role content }\n      }\n      stats {\n        totalSessions\n        activeSessions\n        inactiveSessions\n        totalMessages\n        messagesByRole { role count }\n        lastActivityAt\n      }\n    }\n  }\n": typeof types.ProjectOverviewDocument,
    "\n  query ProjectSession($projectId: ID!, $id: ID!, $limit: Int, $offset: Int) {\n    project(id: $projectId) {\n      session(id: $id) { id title messages(limit: $limit, offset: $offset) { sequence content } }\n    }\n  }\n": typeof types.ProjectSessionDocument,
    "\n  query MessagesPage($projectId: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    session(projectId: $projectId, id: $id) {\n      messagesConnection(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        edges { cursor node { sequence content } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": typeof types.MessagesPageDocument,
    "\n  query SessionsPage($projectId: ID!, $first: Int, $after: String, $includeInactive: Boolean) {\n    project(id: $projectId) {\n      sessionsConnection(first: $first, after: $after, includeInactive: $includeInactive) {\n        totalCount\n        edges { cursor node { id title } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": typeof types.SessionsPageDocument,
    "\n  query NestedConnections($projectId: ID!) {\n    project(id: $projectId) {\n      sessionsConnection(first: 20) {\n        edges {\n          cursor\n          node {\n            id\n            messagesConnection(last: 5) {\n              edges { cursor node { id role content createdAt metadata } }\n              pageInfo { hasPreviousPage startCursor }\n            }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.NestedConnectionsDocument,
};
const documents: Documents = {
    "\n  mutation CreateSession($projectId: ID!, $input: CreateSessionInput!) {\n    createSession(projectId: $projectId, input: $input) {\n      __typename\n      ... on CreateSessionSuccess {\n        session { id projectId title description metadata isActive createdAt updatedAt version messageCount lastMessageAt }\n      }\n      ... on ValidationError { message issues { path message } }\n    }\n  }\n": types.CreateSessionDocument,
    "\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { id title description metadata isActive version updatedAt } }\n      ... on Error { message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n": types.UpdateSessionDocument,
    "\n  mutation DeleteSession($projectId: ID!, $id: ID!, $force: Boolean) {\n    deleteSession(projectId: $projectId, id: $id, force: $force) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { message }\n    }\n  }\n": types.DeleteSessionDocument,
    "\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess {\n        deduplicated\n        message { id projectId sessionId sequence role content metadata createdAt clientMessageId }\n        session { id messageCount lastMessageAt updatedAt version }\n      }\n      # AddMessageSuccess.message is a Message, so the errors' message needs an alias here.\n      ... on Error { errorMessage: message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n": types.AddMessageDocument,
    "\n  query GetSession($projectId: ID!, $id: ID!) {\n    session(projectId: $projectId, id: $id) { id projectId title messageCount version }\n  }\n": types.GetSessionDocument,
    "\n  query ProjectOverview($id: ID!, $includeInactive: Boolean, $limit: Int) {\n    project(id: $id) {\n      id\n      sessions(includeInactive: $includeInactive) {\n        id\n        title\n        isActive\n        messageCount\n        messages(limit: $limit) { sequence role content }\n      }\n      stats {\n        totalSessions\n        activeSessions\n        inactiveSessions\n        totalMessages\n        messagesByRole { role count }\n        lastActivityAt\n      }\n    }\n  }\n": types.ProjectOverviewDocument,
    "\n  query ProjectSession($projectId: ID!, $id: ID!, $limit: Int, $offset: Int) {\n    project(id: $projectId) {\n      session(id: $id) { id title messages(limit: $limit, offset: $offset) { sequence content } }\n    }\n  }\n": types.ProjectSessionDocument,
    "\n  query MessagesPage($projectId: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    session(projectId: $projectId, id: $id) {\n      messagesConnection(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        edges { cursor node { sequence content } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": types.MessagesPageDocument,
    "\n  query SessionsPage($projectId: ID!, $first: Int, $after: String, $includeInactive: Boolean) {\n    project(id: $projectId) {\n      sessionsConnection(first: $first, after: $after, includeInactive: $includeInactive) {\n        totalCount\n        edges { cursor node { id title } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n": types.SessionsPageDocument,
    "\n  query NestedConnections($projectId: ID!) {\n    project(id: $projectId) {\n      sessionsConnection(first: 20) {\n        edges {\n          cursor\n          node {\n            id\n            messagesConnection(last: 5) {\n              edges { cursor node { id role content createdAt metadata } }\n              pageInfo { hasPreviousPage startCursor }\n            }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.NestedConnectionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSession($projectId: ID!, $input: CreateSessionInput!) {\n    createSession(projectId: $projectId, input: $input) {\n      __typename\n      ... on CreateSessionSuccess {\n        session { id projectId title description metadata isActive createdAt updatedAt version messageCount lastMessageAt }\n      }\n      ... on ValidationError { message issues { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSession($projectId: ID!, $input: CreateSessionInput!) {\n    createSession(projectId: $projectId, input: $input) {\n      __typename\n      ... on CreateSessionSuccess {\n        session { id projectId title description metadata isActive createdAt updatedAt version messageCount lastMessageAt }\n      }\n      ... on ValidationError { message issues { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { id title description metadata isActive version updatedAt } }\n      ... on Error { message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { id title description metadata isActive version updatedAt } }\n      ... on Error { message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSession($projectId: ID!, $id: ID!, $force: Boolean) {\n    deleteSession(projectId: $projectId, id: $id, force: $force) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSession($projectId: ID!, $id: ID!, $force: Boolean) {\n    deleteSession(projectId: $projectId, id: $id, force: $force) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess {\n        deduplicated\n        message { id projectId sessionId sequence role content metadata createdAt clientMessageId }\n        session { id messageCount lastMessageAt updatedAt version }\n      }\n      # AddMessageSuccess.message is a Message, so the errors' message needs an alias here.\n      ... on Error { errorMessage: message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n"): (typeof documents)["\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess {\n        deduplicated\n        message { id projectId sessionId sequence role content metadata createdAt clientMessageId }\n        session { id messageCount lastMessageAt updatedAt version }\n      }\n      # AddMessageSuccess.message is a Message, so the errors' message needs an alias here.\n      ... on Error { errorMessage: message }\n      ... on ValidationError { issues { path message } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GetSession($projectId: ID!, $id: ID!) {\n    session(projectId: $projectId, id: $id) { id projectId title messageCount version }\n  }\n"): (typeof documents)["\n  query GetSession($projectId: ID!, $id: ID!) {\n    session(projectId: $projectId, id: $id) { id projectId title messageCount version }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectOverview($id: ID!, $includeInactive: Boolean, $limit: Int) {\n    project(id: $id) {\n      id\n      sessions(includeInactive: $includeInactive) {\n        id\n        title\n        isActive\n        messageCount\n        messages(limit: $limit) { sequence role content }\n      }\n      stats {\n        totalSessions\n        activeSessions\n        inactiveSessions\n        totalMessages\n        messagesByRole { role count }\n        lastActivityAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProjectOverview($id: ID!, $includeInactive: Boolean, $limit: Int) {\n    project(id: $id) {\n      id\n      sessions(includeInactive: $includeInactive) {\n        id\n        title\n        isActive\n        messageCount\n        messages(limit: $limit) { sequence role content }\n      }\n      stats {\n        totalSessions\n        activeSessions\n        inactiveSessions\n        totalMessages\n        messagesByRole { role count }\n        lastActivityAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectSession($projectId: ID!, $id: ID!, $limit: Int, $offset: Int) {\n    project(id: $projectId) {\n      session(id: $id) { id title messages(limit: $limit, offset: $offset) { sequence content } }\n    }\n  }\n"): (typeof documents)["\n  query ProjectSession($projectId: ID!, $id: ID!, $limit: Int, $offset: Int) {\n    project(id: $projectId) {\n      session(id: $id) { id title messages(limit: $limit, offset: $offset) { sequence content } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagesPage($projectId: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    session(projectId: $projectId, id: $id) {\n      messagesConnection(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        edges { cursor node { sequence content } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MessagesPage($projectId: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    session(projectId: $projectId, id: $id) {\n      messagesConnection(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        edges { cursor node { sequence content } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsPage($projectId: ID!, $first: Int, $after: String, $includeInactive: Boolean) {\n    project(id: $projectId) {\n      sessionsConnection(first: $first, after: $after, includeInactive: $includeInactive) {\n        totalCount\n        edges { cursor node { id title } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SessionsPage($projectId: ID!, $first: Int, $after: String, $includeInactive: Boolean) {\n    project(id: $projectId) {\n      sessionsConnection(first: $first, after: $after, includeInactive: $includeInactive) {\n        totalCount\n        edges { cursor node { id title } }\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NestedConnections($projectId: ID!) {\n    project(id: $projectId) {\n      sessionsConnection(first: 20) {\n        edges {\n          cursor\n          node {\n            id\n            messagesConnection(last: 5) {\n              edges { cursor node { id role content createdAt metadata } }\n              pageInfo { hasPreviousPage startCursor }\n            }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query NestedConnections($projectId: ID!) {\n    project(id: $projectId) {\n      sessionsConnection(first: 20) {\n        edges {\n          cursor\n          node {\n            id\n            messagesConnection(last: 5) {\n              edges { cursor node { id role content createdAt metadata } }\n              pageInfo { hasPreviousPage startCursor }\n            }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;