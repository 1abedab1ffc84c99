export {
  GroupCommit,
  MAX_COMMIT_WINDOW_MS,
  type CommitReport,
  type GroupCommitOptions,
  type LogWatcher,
} from './group-commit';
export { Checkpointer, type CheckpointerOptions } from './checkpointer';
export { failsTransaction, groupTransaction, type Outcome } from './group-transaction';
export { WalSync } from './wal-sync';
export { loadOrCreateKeyFile, seal, unseal } from './sealed-box';
export { createFileOnce } from './create-once';
export { scrubFreePages, withSecureDelete } from './scrub';
