// Every operation the app sends, typed by graphql-codegen (web/src/gql) from the server's printed schema.
import { graphql } from '../gql';

export const SessionFields = graphql(`
  fragment SessionFields on Session {
    id
    title
    isActive
    pinned
    tags
    version
    messageCount
    updatedAt
    lastMessageAt
    activeLeafId
  }
`);

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    sequence
    role
    content
    status
    parentId
    siblingIds
    siblingIndex
    siblingCount
    chunkCount
    createdAt
  }
`);

export const ChatListQuery = graphql(`
  query ChatList($projectId: ID!, $filter: SessionFilter, $first: Int) {
    project(id: $projectId) {
      id
      sessionsPage(filter: $filter, first: $first) {
        edges { node { ...SessionFields } }
        totalCount
      }
      tags { tag count }
    }
  }
`);

export const TrashQuery = graphql(`
  query Trash($projectId: ID!) {
    project(id: $projectId) {
      id
      trash(first: 100) {
        edges { node { deletedAt purgeAt session { ...SessionFields } } }
        totalCount
      }
    }
  }
`);

export const SearchQuery = graphql(`
  query Search($projectId: ID!, $query: String!, $after: String) {
    project(id: $projectId) {
      id
      search(query: $query, first: 20, after: $after) {
        edges {
          cursor
          node {
            snippet
            highlights { start end }
            session { id title }
            message { id sequence role }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const ConversationQuery = graphql(`
  query Conversation($projectId: ID!, $sessionId: ID!, $last: Int!, $before: String) {
    session(projectId: $projectId, id: $sessionId) {
      ...SessionFields
      branch(last: $last, before: $before) {
        edges { cursor node { ...MessageFields } }
        pageInfo { hasPreviousPage startCursor }
      }
    }
  }
`);

/** Where a version leads: the newest message at or below it, which the switcher makes the active leaf. */
export const NewestLeafQuery = graphql(`
  query NewestLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {
    session(projectId: $projectId, id: $sessionId) {
      branch(leafId: $messageId, last: 1) { edges { node { id newestLeafId } } }
    }
  }
`);

export const CreateSessionMutation = graphql(`
  mutation CreateSession($projectId: ID!, $title: String!) {
    createSession(projectId: $projectId, input: { title: $title }) {
      __typename
      ... on CreateSessionSuccess { session { ...SessionFields } }
      ... on Error { error: message }
    }
  }
`);

export const UpdateSessionMutation = graphql(`
  mutation UpdateSession($projectId: ID!, $id: ID!, $input: UpdateSessionInput!) {
    updateSession(projectId: $projectId, id: $id, input: $input) {
      __typename
      ... on UpdateSessionSuccess { session { ...SessionFields } }
      ... on Error { error: message }
    }
  }
`);

export const DeleteSessionMutation = graphql(`
  mutation DeleteSession($projectId: ID!, $id: ID!) {
    deleteSession(projectId: $projectId, id: $id, force: true) {
      __typename
      ... on DeleteSessionSuccess { deletedSessionId }
      ... on Error { error: message }
    }
  }
`);

export const RestoreSessionMutation = graphql(`
  mutation RestoreSession($projectId: ID!, $id: ID!) {
    restoreSession(projectId: $projectId, id: $id) {
      __typename
      ... on RestoreSessionSuccess { session { ...SessionFields } }
      ... on Error { error: message }
    }
  }
`);

export const AddMessageMutation = graphql(`
  mutation AddMessage($projectId: ID!, $sessionId: ID!, $input: AddMessageInput!) {
    addMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {
      __typename
      ... on AddMessageSuccess { message { ...MessageFields } session { ...SessionFields } }
      ... on Error { error: message }
    }
  }
`);

export const SetActiveLeafMutation = graphql(`
  mutation SetActiveLeaf($projectId: ID!, $sessionId: ID!, $messageId: ID!) {
    setActiveLeaf(projectId: $projectId, sessionId: $sessionId, messageId: $messageId) {
      __typename
      ... on SetActiveLeafSuccess { session { ...SessionFields } }
      ... on Error { error: message }
    }
  }
`);

export const StartMessageMutation = graphql(`
  mutation StartMessage($projectId: ID!, $sessionId: ID!, $input: StartMessageInput!) {
    startMessage(projectId: $projectId, sessionId: $sessionId, input: $input) {
      __typename
      ... on StartMessageSuccess { message { ...MessageFields } }
      ... on Error { error: message }
    }
  }
`);

export const AppendContentMutation = graphql(`
  mutation AppendContent($projectId: ID!, $sessionId: ID!, $messageId: ID!, $index: Int!, $chunk: String!) {
    appendMessageContent(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, index: $index, chunk: $chunk) {
      __typename
      ... on AppendContentSuccess { appended message { id status chunkCount } }
      ... on Error { error: message }
    }
  }
`);

export const FinishMessageMutation = graphql(`
  mutation FinishMessage($projectId: ID!, $sessionId: ID!, $messageId: ID!, $status: MessageStatus!) {
    finishMessage(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, input: { status: $status }) {
      __typename
      ... on FinishMessageSuccess { message { ...MessageFields } }
      ... on Error { error: message }
    }
  }
`);

export const CreateShareLinkMutation = graphql(`
  mutation CreateShareLink($projectId: ID!, $sessionId: ID!) {
    createShareLink(projectId: $projectId, sessionId: $sessionId) {
      __typename
      ... on CreateShareLinkSuccess { token }
      ... on Error { error: message }
    }
  }
`);

export const ImportConversationsMutation = graphql(`
  mutation ImportConversations($projectId: ID!, $file: File!) {
    importConversations(projectId: $projectId, file: $file) {
      __typename
      ... on ImportConversationsSuccess {
        report { format imported skipped messages problems { item message } sessions { id title } }
      }
      ... on Error { error: message }
    }
  }
`);

export const SessionEventsSubscription = graphql(`
  subscription SessionEvents($projectId: ID!) {
    sessionEvents(projectId: $projectId) {
      kind
      sessionId
      session { ...SessionFields }
      message { id status }
    }
  }
`);

export const MessageStreamSubscription = graphql(`
  subscription MessageStream($projectId: ID!, $sessionId: ID!, $messageId: ID!, $afterIndex: Int) {
    messageStream(projectId: $projectId, sessionId: $sessionId, messageId: $messageId, afterIndex: $afterIndex) {
      chunk { index chunk }
      message { ...MessageFields }
    }
  }
`);
