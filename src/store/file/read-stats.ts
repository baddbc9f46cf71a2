// Bytes the file store has read from message logs and their indexes: how tests prove a read did not scan a history.

export const readStats = { bytes: 0 };
