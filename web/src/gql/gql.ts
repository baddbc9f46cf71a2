/* eslint-disable */
import * as types from './graphql';
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
    "\n  fragment SessionFields on Session {\n    id\n    title\n    isActive\n    pinned\n    tags\n    version\n    messageCount\n    updatedAt\n    lastMessageAt\n    activeLeafId\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  fragment MessageFields on Message {\n    id\n    sequence\n    role\n    content\n    status\n    parentId\n    siblingIds\n    siblingIndex\n    siblingCount\n    chunkCount\n    createdAt\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  query ChatList($projectId: ID!, $filter: SessionFilter, $first: Int) {\n    project(id: $projectId) {\n      id\n      sessionsPage(filter: $filter, first: $first) {\n        edges { node { ...SessionFields } }\n        totalCount\n      }\n      tags { tag count }\n    }\n  }\n": typeof types.ChatListDocument,
    "\n  query Trash($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      trash(first: 100) {\n        edges { node { deletedAt purgeAt session { ...SessionFields } } }\n        totalCount\n      }\n    }\n  }\n": typeof types.TrashDocument,
    "\n  query Search($projectId: ID!, $query: String!, $after: String) {\n    project(id: $projectId) {\n      id\n      search(query: $query, first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            snippet\n            highlights { start end }\n            session { id title }\n            message { id sequence role }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.SearchDocument,
    "\n  query Conversation($projectId: ID!, $sessionId: ID!, $last: Int!, $before: String) {\n    session(projectId: $projectId, id: $sessionId) {\n      ...SessionFields\n      branch(last: $last, before: $before) {\n        edges { cursor node { ...MessageFields } }\n        pageInfo { hasPreviousPage startCursor }\n      }\n    }\n  }\n": typeof types.ConversationDocument,
    "\n  query NewestLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    session(projectId: $projectId, id: $sessionId) {\n      branch(leafId: $messageId, last: 1) { edges { node { id newestLeafId } } }\n    }\n  }\n": typeof types.NewestLeafDocument,
    "\n  mutation CreateSession($projectId: ID!, $title: String!) {\n    createSession(projectId: $projectId, input: { title: $title }) {\n      __typename\n      ... on CreateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.CreateSessionDocument,
    "\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.UpdateSessionDocument,
    "\n  mutation DeleteSession($projectId: ID!, $id: ID!) {\n    deleteSession(projectId: $projectId, id: $id, force: true) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.DeleteSessionDocument,
    "\n  mutation RestoreSession($projectId: ID!, $id: ID!) {\n    restoreSession(projectId: $projectId, id: $id) {\n      __typename\n      ... on RestoreSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.RestoreSessionDocument,
    "\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess { message { ...MessageFields } session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.AddMessageDocument,
    "\n  mutation SetActiveLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    setActiveLeaf(projectId: $projectId, sessionId: $sessionId, messageId: $messageId) {\n      __typename\n      ... on SetActiveLeafSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.SetActiveLeafDocument,
    "\n  mutation StartMessage($projectId: ID!, $sessionId: ID!, $input: StartMessageInput!) {\n    startMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on StartMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.StartMessageDocument,
    "\n  mutation AppendContent($projectId: ID!, $sessionId: ID!, $messageId: ID!, $index: Int!, $chunk: String!) {\n    appendMessageContent(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, index: $index, chunk: $chunk) {\n      __typename\n      ... on AppendContentSuccess { appended message { id status chunkCount } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.AppendContentDocument,
    "\n  mutation FinishMessage($projectId: ID!, $sessionId: ID!, $messageId: ID!, $status: MessageStatus!) {\n    finishMessage(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: { status: $status }) {\n      __typename\n      ... on FinishMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.FinishMessageDocument,
    "\n  mutation CreateShareLink($projectId: ID!, $sessionId: ID!) {\n    createShareLink(projectId: $projectId, sessionId: $sessionId) {\n      __typename\n      ... on CreateShareLinkSuccess { token }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.CreateShareLinkDocument,
    "\n  mutation ImportConversations($projectId: ID!, $file: File!) {\n    importConversations(projectId: $projectId, file: $file) {\n      __typename\n      ... on ImportConversationsSuccess {\n        report { format imported skipped messages problems { item message } sessions { id title } }\n      }\n      ... on Error { error: message }\n    }\n  }\n": typeof types.ImportConversationsDocument,
    "\n  subscription SessionEvents($projectId: ID!) {\n    sessionEvents(projectId: $projectId) {\n      kind\n      sessionId\n      session { ...SessionFields }\n      message { id status }\n    }\n  }\n": typeof types.SessionEventsDocument,
    "\n  subscription MessageStream($projectId: ID!, $sessionId: ID!, $messageId: ID!, $afterIndex: Int) {\n    messageStream(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, afterIndex: $afterIndex) {\n      chunk { index chunk }\n      message { ...MessageFields }\n    }\n  }\n": typeof types.MessageStreamDocument,
};
const documents: Documents = {
    "\n  fragment SessionFields on Session {\n    id\n    title\n    isActive\n    pinned\n    tags\n    version\n    messageCount\n    updatedAt\n    lastMessageAt\n    activeLeafId\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  fragment MessageFields on Message {\n    id\n    sequence\n    role\n    content\n    status\n    parentId\n    siblingIds\n    siblingIndex\n    siblingCount\n    chunkCount\n    createdAt\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  query ChatList($projectId: ID!, $filter: SessionFilter, $first: Int) {\n    project(id: $projectId) {\n      id\n      sessionsPage(filter: $filter, first: $first) {\n        edges { node { ...SessionFields } }\n        totalCount\n      }\n      tags { tag count }\n    }\n  }\n": types.ChatListDocument,
    "\n  query Trash($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      trash(first: 100) {\n        edges { node { deletedAt purgeAt session { ...SessionFields } } }\n        totalCount\n      }\n    }\n  }\n": types.TrashDocument,
    "\n  query Search($projectId: ID!, $query: String!, $after: String) {\n    project(id: $projectId) {\n      id\n      search(query: $query, first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            snippet\n            highlights { start end }\n            session { id title }\n            message { id sequence role }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.SearchDocument,
    "\n  query Conversation($projectId: ID!, $sessionId: ID!, $last: Int!, $before: String) {\n    session(projectId: $projectId, id: $sessionId) {\n      ...SessionFields\n      branch(last: $last, before: $before) {\n        edges { cursor node { ...MessageFields } }\n        pageInfo { hasPreviousPage startCursor }\n      }\n    }\n  }\n": types.ConversationDocument,
    "\n  query NewestLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    session(projectId: $projectId, id: $sessionId) {\n      branch(leafId: $messageId, last: 1) { edges { node { id newestLeafId } } }\n    }\n  }\n": types.NewestLeafDocument,
    "\n  mutation CreateSession($projectId: ID!, $title: String!) {\n    createSession(projectId: $projectId, input: { title: $title }) {\n      __typename\n      ... on CreateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.CreateSessionDocument,
    "\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.UpdateSessionDocument,
    "\n  mutation DeleteSession($projectId: ID!, $id: ID!) {\n    deleteSession(projectId: $projectId, id: $id, force: true) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { error: message }\n    }\n  }\n": types.DeleteSessionDocument,
    "\n  mutation RestoreSession($projectId: ID!, $id: ID!) {\n    restoreSession(projectId: $projectId, id: $id) {\n      __typename\n      ... on RestoreSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.RestoreSessionDocument,
    "\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess { message { ...MessageFields } session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.AddMessageDocument,
    "\n  mutation SetActiveLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    setActiveLeaf(projectId: $projectId, sessionId: $sessionId, messageId: $messageId) {\n      __typename\n      ... on SetActiveLeafSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.SetActiveLeafDocument,
    "\n  mutation StartMessage($projectId: ID!, $sessionId: ID!, $input: StartMessageInput!) {\n    startMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on StartMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.StartMessageDocument,
    "\n  mutation AppendContent($projectId: ID!, $sessionId: ID!, $messageId: ID!, $index: Int!, $chunk: String!) {\n    appendMessageContent(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, index: $index, chunk: $chunk) {\n      __typename\n      ... on AppendContentSuccess { appended message { id status chunkCount } }\n      ... on Error { error: message }\n    }\n  }\n": types.AppendContentDocument,
    "\n  mutation FinishMessage($projectId: ID!, $sessionId: ID!, $messageId: ID!, $status: MessageStatus!) {\n    finishMessage(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: { status: $status }) {\n      __typename\n      ... on FinishMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n": types.FinishMessageDocument,
    "\n  mutation CreateShareLink($projectId: ID!, $sessionId: ID!) {\n    createShareLink(projectId: $projectId, sessionId: $sessionId) {\n      __typename\n      ... on CreateShareLinkSuccess { token }\n      ... on Error { error: message }\n    }\n  }\n": types.CreateShareLinkDocument,
    "\n  mutation ImportConversations($projectId: ID!, $file: File!) {\n    importConversations(projectId: $projectId, file: $file) {\n      __typename\n      ... on ImportConversationsSuccess {\n        report { format imported skipped messages problems { item message } sessions { id title } }\n      }\n      ... on Error { error: message }\n    }\n  }\n": types.ImportConversationsDocument,
    "\n  subscription SessionEvents($projectId: ID!) {\n    sessionEvents(projectId: $projectId) {\n      kind\n      sessionId\n      session { ...SessionFields }\n      message { id status }\n    }\n  }\n": types.SessionEventsDocument,
    "\n  subscription MessageStream($projectId: ID!, $sessionId: ID!, $messageId: ID!, $afterIndex: Int) {\n    messageStream(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, afterIndex: $afterIndex) {\n      chunk { index chunk }\n      message { ...MessageFields }\n    }\n  }\n": types.MessageStreamDocument,
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
export function graphql(source: "\n  fragment SessionFields on Session {\n    id\n    title\n    isActive\n    pinned\n    tags\n    version\n    messageCount\n    updatedAt\n    lastMessageAt\n    activeLeafId\n  }\n"): (typeof documents)["\n  fragment SessionFields on Session {\n    id\n    title\n    isActive\n    pinned\n    tags\n    version\n    messageCount\n    updatedAt\n    lastMessageAt\n    activeLeafId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    sequence\n    role\n    content\n    status\n    parentId\n    siblingIds\n    siblingIndex\n    siblingCount\n    chunkCount\n    createdAt\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    sequence\n    role\n    content\n    status\n    parentId\n    siblingIds\n    siblingIndex\n    siblingCount\n    chunkCount\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChatList($projectId: ID!, $filter: SessionFilter, $first: Int) {\n    project(id: $projectId) {\n      id\n      sessionsPage(filter: $filter, first: $first) {\n        edges { node { ...SessionFields } }\n        totalCount\n      }\n      tags { tag count }\n    }\n  }\n"): (typeof documents)["\n  query ChatList($projectId: ID!, $filter: SessionFilter, $first: Int) {\n    project(id: $projectId) {\n      id\n      sessionsPage(filter: $filter, first: $first) {\n        edges { node { ...SessionFields } }\n        totalCount\n      }\n      tags { tag count }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Trash($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      trash(first: 100) {\n        edges { node { deletedAt purgeAt session { ...SessionFields } } }\n        totalCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query Trash($projectId: ID!) {\n    project(id: $projectId) {\n      id\n      trash(first: 100) {\n        edges { node { deletedAt purgeAt session { ...SessionFields } } }\n        totalCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($projectId: ID!, $query: String!, $after: String) {\n    project(id: $projectId) {\n      id\n      search(query: $query, first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            snippet\n            highlights { start end }\n            session { id title }\n            message { id sequence role }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Search($projectId: ID!, $query: String!, $after: String) {\n    project(id: $projectId) {\n      id\n      search(query: $query, first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            snippet\n            highlights { start end }\n            session { id title }\n            message { id sequence role }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($projectId: ID!, $sessionId: ID!, $last: Int!, $before: String) {\n    session(projectId: $projectId, id: $sessionId) {\n      ...SessionFields\n      branch(last: $last, before: $before) {\n        edges { cursor node { ...MessageFields } }\n        pageInfo { hasPreviousPage startCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversation($projectId: ID!, $sessionId: ID!, $last: Int!, $before: String) {\n    session(projectId: $projectId, id: $sessionId) {\n      ...SessionFields\n      branch(last: $last, before: $before) {\n        edges { cursor node { ...MessageFields } }\n        pageInfo { hasPreviousPage startCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewestLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    session(projectId: $projectId, id: $sessionId) {\n      branch(leafId: $messageId, last: 1) { edges { node { id newestLeafId } } }\n    }\n  }\n"): (typeof documents)["\n  query NewestLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    session(projectId: $projectId, id: $sessionId) {\n      branch(leafId: $messageId, last: 1) { edges { node { id newestLeafId } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSession($projectId: ID!, $title: String!) {\n    createSession(projectId: $projectId, input: { title: $title }) {\n      __typename\n      ... on CreateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSession($projectId: ID!, $title: String!) {\n    createSession(projectId: $projectId, input: { title: $title }) {\n      __typename\n      ... on CreateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {\n    updateSession(projectId: $projectId, id: $id, input: $input) {\n      __typename\n      ... on UpdateSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSession($projectId: ID!, $id: ID!) {\n    deleteSession(projectId: $projectId, id: $id, force: true) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSession($projectId: ID!, $id: ID!) {\n    deleteSession(projectId: $projectId, id: $id, force: true) {\n      __typename\n      ... on DeleteSessionSuccess { deletedSessionId }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreSession($projectId: ID!, $id: ID!) {\n    restoreSession(projectId: $projectId, id: $id) {\n      __typename\n      ... on RestoreSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation RestoreSession($projectId: ID!, $id: ID!) {\n    restoreSession(projectId: $projectId, id: $id) {\n      __typename\n      ... on RestoreSessionSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess { message { ...MessageFields } session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {\n    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on AddMessageSuccess { message { ...MessageFields } session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetActiveLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    setActiveLeaf(projectId: $projectId, sessionId: $sessionId, messageId: $messageId) {\n      __typename\n      ... on SetActiveLeafSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation SetActiveLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {\n    setActiveLeaf(projectId: $projectId, sessionId: $sessionId, messageId: $messageId) {\n      __typename\n      ... on SetActiveLeafSuccess { session { ...SessionFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartMessage($projectId: ID!, $sessionId: ID!, $input: StartMessageInput!) {\n    startMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on StartMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation StartMessage($projectId: ID!, $sessionId: ID!, $input: StartMessageInput!) {\n    startMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {\n      __typename\n      ... on StartMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendContent($projectId: ID!, $sessionId: ID!, $messageId: ID!, $index: Int!, $chunk: String!) {\n    appendMessageContent(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, index: $index, chunk: $chunk) {\n      __typename\n      ... on AppendContentSuccess { appended message { id status chunkCount } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation AppendContent($projectId: ID!, $sessionId: ID!, $messageId: ID!, $index: Int!, $chunk: String!) {\n    appendMessageContent(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, index: $index, chunk: $chunk) {\n      __typename\n      ... on AppendContentSuccess { appended message { id status chunkCount } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishMessage($projectId: ID!, $sessionId: ID!, $messageId: ID!, $status: MessageStatus!) {\n    finishMessage(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: { status: $status }) {\n      __typename\n      ... on FinishMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation FinishMessage($projectId: ID!, $sessionId: ID!, $messageId: ID!, $status: MessageStatus!) {\n    finishMessage(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: { status: $status }) {\n      __typename\n      ... on FinishMessageSuccess { message { ...MessageFields } }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateShareLink($projectId: ID!, $sessionId: ID!) {\n    createShareLink(projectId: $projectId, sessionId: $sessionId) {\n      __typename\n      ... on CreateShareLinkSuccess { token }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateShareLink($projectId: ID!, $sessionId: ID!) {\n    createShareLink(projectId: $projectId, sessionId: $sessionId) {\n      __typename\n      ... on CreateShareLinkSuccess { token }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportConversations($projectId: ID!, $file: File!) {\n    importConversations(projectId: $projectId, file: $file) {\n      __typename\n      ... on ImportConversationsSuccess {\n        report { format imported skipped messages problems { item message } sessions { id title } }\n      }\n      ... on Error { error: message }\n    }\n  }\n"): (typeof documents)["\n  mutation ImportConversations($projectId: ID!, $file: File!) {\n    importConversations(projectId: $projectId, file: $file) {\n      __typename\n      ... on ImportConversationsSuccess {\n        report { format imported skipped messages problems { item message } sessions { id title } }\n      }\n      ... on Error { error: message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SessionEvents($projectId: ID!) {\n    sessionEvents(projectId: $projectId) {\n      kind\n      sessionId\n      session { ...SessionFields }\n      message { id status }\n    }\n  }\n"): (typeof documents)["\n  subscription SessionEvents($projectId: ID!) {\n    sessionEvents(projectId: $projectId) {\n      kind\n      sessionId\n      session { ...SessionFields }\n      message { id status }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessageStream($projectId: ID!, $sessionId: ID!, $messageId: ID!, $afterIndex: Int) {\n    messageStream(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, afterIndex: $afterIndex) {\n      chunk { index chunk }\n      message { ...MessageFields }\n    }\n  }\n"): (typeof documents)["\n  subscription MessageStream($projectId: ID!, $sessionId: ID!, $messageId: ID!, $afterIndex: Int) {\n    messageStream(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, afterIndex: $afterIndex) {\n      chunk { index chunk }\n      message { ...MessageFields }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;