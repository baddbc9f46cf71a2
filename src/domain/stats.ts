// Project statistics, computed from per-session counters.
import type { RoleCounts } from './message.js';

export interface ProjectStats {
  projectId: string;
  totalSessions: number;
  activeSessions: number;
  inactiveSessions: number;
  totalMessages: number;
  messagesByRole: RoleCounts;
  /** The newest `updatedAt` of any session (appends update it too), or null for an empty project. */
  lastActivityAt: string | null;
}
