/**
 * What the remote sync needs of the engine, and no more: the checked-out
 * branch, a section exclusive with the engine's own writes, and its commits.
 */
export interface ISyncedEngine {
  status(): Promise<{ branch: string; head: string | null }>;
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  onCommit(listener: () => void): () => void;
}
