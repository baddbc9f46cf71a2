// Every operation the GraphQL tests send, typed by graphql-codegen from schema.graphql (npm run codegen).
import { graphql } from '../gql/index.js';

export const CreateSession = graphql(`
  mutation CreateSession($projectId: ID!, $input: CreateSessionInput!) {
    createSession(projectId: $projectId, input: $input) {
      __typename
      ... on CreateSessionSuccess {
        session { id projectId title description metadata isActive createdAt updatedAt version messageCount lastMessageAt }
      }
      ... on ValidationError { message issues { path message } }
    }
  }
`);

export const UpdateSession = graphql(`
  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {
    updateSession(projectId: $projectId, id: $id, input: $input) {
      __typename
      ... on UpdateSessionSuccess { session { id title description metadata isActive version updatedAt } }
      ... on Error { message }
      ... on ValidationError { issues { path message } }
    }
  }
`);

export const DeleteSession = graphql(`
  mutation DeleteSession($projectId: ID!, $id: ID!, $force: Boolean) {
    deleteSession(projectId: $projectId, id: $id, force: $force) {
      __typename
      ... on DeleteSessionSuccess { deletedSessionId }
      ... on Error { message }
    }
  }
`);

export const AddMessage = graphql(`
  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {
    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {
      __typename
      ... on AddMessageSuccess {
        deduplicated
        message { id projectId sessionId sequence role content metadata createdAt clientMessageId }
        session { id messageCount lastMessageAt updatedAt version }
      }
      # AddMessageSuccess.message is a Message, so the errors' message needs an alias here.
      ... on Error { errorMessage: message }
      ... on ValidationError { issues { path message } }
    }
  }
`);

export const GetSession = graphql(`
  query GetSession($projectId: ID!, $id: ID!) {
    session(projectId: $projectId, id: $id) { id projectId title messageCount version }
  }
`);

export const ProjectOverview = graphql(`
  query ProjectOverview($id: ID!, $includeInactive: Boolean, $limit: Int) {
    project(id: $id) {
      id
      sessions(includeInactive: $includeInactive) {
        id
        title
        isActive
        messageCount
        messages(limit: $limit) { sequence role content }
      }
      stats {
        totalSessions
        activeSessions
        inactiveSessions
        totalMessages
        messagesByRole { role count }
        lastActivityAt
      }
    }
  }
`);

export const ProjectSession = graphql(`
  query ProjectSession($projectId: ID!, $id: ID!, $limit: Int, $offset: Int) {
    project(id: $projectId) {
      session(id: $id) { id title messages(limit: $limit, offset: $offset) { sequence content } }
    }
  }
`);

export const MessagesPage = graphql(`
  query MessagesPage($projectId: ID!, $id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    session(projectId: $projectId, id: $id) {
      messagesConnection(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        edges { cursor node { sequence content } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`);

export const SessionsPage = graphql(`
  query SessionsPage($projectId: ID!, $first: Int, $after: String, $includeInactive: Boolean) {
    project(id: $projectId) {
      sessionsConnection(first: $first, after: $after, includeInactive: $includeInactive) {
        totalCount
        edges { cursor node { id title } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`);

export const NestedConnections = graphql(`
  query NestedConnections($projectId: ID!) {
    project(id: $projectId) {
      sessionsConnection(first: 20) {
        edges {
          cursor
          node {
            id
            messagesConnection(last: 5) {
              edges { cursor node { id role content createdAt metadata } }
              pageInfo { hasPreviousPage startCursor }
            }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const AddReply = graphql(`
  mutation AddReply($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {
    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {
      __typename
      ... on AddMessageSuccess {
        message { id sequence content parentId siblingCount siblingIndex siblingIds childCount }
        session { id messageCount activeLeafId version }
      }
      ... on Error { errorMessage: message }
      ... on ValidationError { issues { path message } }
    }
  }
`);

export const Branch = graphql(`
  query Branch($projectId: ID!, $id: ID!, $leafId: ID, $first: Int, $after: String, $last: Int, $before: String) {
    session(projectId: $projectId, id: $id) {
      activeLeafId
      messageCount
      forkedFrom { sessionId messageId }
      branch(leafId: $leafId, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id content parentId siblingCount siblingIndex siblingIds childCount newestLeafId } }
      }
    }
  }
`);

export const ConversationViews = graphql(`
  query ConversationViews($projectId: ID!, $id: ID!) {
    session(projectId: $projectId, id: $id) {
      activeLeafId
      messages { content }
      messagesConnection(last: 2) { totalCount edges { node { content } } }
      allMessagesConnection { totalCount edges { cursor node { content sequence parentId } } }
    }
  }
`);

export const SetActiveLeaf = graphql(`
  mutation SetActiveLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!, $expectedVersion: Int) {
    setActiveLeaf(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, expectedVersion: $expectedVersion) {
      __typename
      ... on SetActiveLeafSuccess { session { id activeLeafId version } }
      ... on Error { message }
    }
  }
`);

export const ForkSession = graphql(`
  mutation ForkSession($projectId: ID!, $sessionId: ID!, $messageId: ID!, $input: ForkSessionInput) {
    forkSession(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: $input) {
      __typename
      ... on ForkSessionSuccess {
        session {
          id projectId title metadata messageCount activeLeafId
          forkedFrom { sessionId messageId }
          messages { id content role metadata createdAt parentId clientMessageId }
        }
      }
      ... on Error { message }
    }
  }
`);

export const StartMessage = graphql(`
  mutation StartMessage($projectId: ID!, $sessionId: ID!, $input: StartMessageInput!) {
    startMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {
      __typename
      ... on StartMessageSuccess {
        deduplicated
        message { id sequence parentId status content chunkCount createdAt updatedAt }
        session { activeLeafId messageCount }
      }
      ... on Error { error: message }
      ... on ValidationError { issues { path message } }
    }
  }
`);

export const AppendContent = graphql(`
  mutation AppendContent($projectId: ID!, $sessionId: ID!, $messageId: ID!, $index: Int!, $chunk: String!) {
    appendMessageContent(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, index: $index, chunk: $chunk) {
      __typename
      ... on AppendContentSuccess { appended message { status content chunkCount } }
      ... on Error { error: message }
      ... on ValidationError { issues { path message } }
    }
  }
`);

export const FinishMessage = graphql(`
  mutation FinishMessage($projectId: ID!, $sessionId: ID!, $messageId: ID!, $input: FinishMessageInput!) {
    finishMessage(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: $input) {
      __typename
      ... on FinishMessageSuccess { message { status content chunkCount metadata updatedAt } }
      ... on Error { error: message }
      ... on ValidationError { issues { path message } }
    }
  }
`);

export const ContextWindow = graphql(`
  query ContextWindow($projectId: ID!, $id: ID!, $maxTokens: Int!, $leafId: ID, $encoding: TokenEncoding) {
    session(projectId: $projectId, id: $id) {
      context(maxTokens: $maxTokens, leafId: $leafId, encoding: $encoding) {
        tokenCount
        truncated
        messages { content role tokenCount(encoding: $encoding) }
      }
    }
  }
`);

export const MessageTokens = graphql(`
  query MessageTokens($projectId: ID!, $id: ID!) {
    session(projectId: $projectId, id: $id) {
      messages { content status chunkCount o200k: tokenCount cl100k: tokenCount(encoding: CL100K_BASE) }
    }
  }
`);

export const OrderedSessions = graphql(`
  query OrderedSessions($projectId: ID!, $filter: SessionFilter, $orderBy: SessionOrder, $pinnedFirst: Boolean, $first: Int, $after: String) {
    project(id: $projectId) {
      sessionsPage(filter: $filter, orderBy: $orderBy, pinnedFirst: $pinnedFirst, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id title pinned tags createdBy isActive } }
      }
      tags { tag count }
    }
  }
`);

export const UpdateSessions = graphql(`
  mutation UpdateSessions($projectId: ID!, $ids: [ID!]!, $input: BulkSessionInput!) {
    updateSessions(projectId: $projectId, ids: $ids, input: $input) {
      updated { id title pinned tags isActive version }
      failed { sessionId error { __typename message } }
    }
  }
`);

export const TrashAndRestore = graphql(`
  query Trash($projectId: ID!, $first: Int, $after: String) {
    project(id: $projectId) {
      trash(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { deletedAt purgeAt session { id title messageCount tags version } } }
      }
    }
  }
`);

export const RestoreSession = graphql(`
  mutation RestoreSession($projectId: ID!, $id: ID!) {
    restoreSession(projectId: $projectId, id: $id) {
      __typename
      ... on RestoreSessionSuccess { session { id title messageCount tags version } }
      ... on Error { message }
    }
  }
`);

export const PurgeSession = graphql(`
  mutation PurgeSession($projectId: ID!, $id: ID!) {
    purgeSession(projectId: $projectId, id: $id) {
      __typename
      ... on PurgeSessionSuccess { purgedSessionId }
      ... on Error { message }
    }
  }
`);

export const Search = graphql(`
  query Search($projectId: ID!, $query: String!, $filter: SearchFilter, $first: Int, $after: String) {
    project(id: $projectId) {
      search(query: $query, filter: $filter, first: $first, after: $after) {
        edges {
          cursor
          node {
            session { id title }
            message { id sequence role content }
            snippet
            highlights { start end }
            score
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
