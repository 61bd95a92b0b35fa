// Why a change is in a plan, in the words both the command line and the windows use. Plain
// shapes (not the engine's types): the contract stays free of the engine.

type Side = 'local' | 'cloud';

export type ReasonedAction =
  { kind: 'copy'; reason: string; from: Side; to: Side } | { kind: 'delete'; reason: string; side: Side } | { kind: 'merge'; reason: string } | { kind: 'keep'; reason: string; of: string };

export function describeReason(action: ReasonedAction): string {
  const where = (side: Side): string => (side === 'local' ? 'this machine' : 'the cloud');
  switch (action.reason) {
    case 'new':
      return action.kind === 'copy' ? `new on ${where(action.from)}` : 'new';
    case 'changed':
      return action.kind === 'copy' ? `changed on ${where(action.from)}` : 'changed';
    case 'deleted':
      return action.kind === 'delete' ? `deleted on ${where(action.side === 'local' ? 'cloud' : 'local')}` : 'deleted';
    case 'restored':
      return action.kind === 'copy' ? `deleted on ${where(action.to)}; delete_policy = "never" brings it back` : 'restored';
    case 'edit-beats-delete':
      return action.kind === 'copy' ? `changed on ${where(action.from)} and deleted on ${where(action.to)}: the changed version is kept` : 'kept';
    case 'appended':
      return action.kind === 'copy' ? `appended to on ${where(action.from)} (the other side is a prefix of it)` : 'appended';
    case 'merged-lines':
      return 'changed on both sides: lines merged';
    case 'conflict-resolved':
      return action.kind === 'copy' ? `conflict settled by conflict.policy: ${where(action.from)} wins` : 'conflict settled';
    case 'equal-mtime-resolved':
      return action.kind === 'copy' ? `same time, different content: sync.equal_mtime_action takes ${where(action.from)}` : 'same time';
    case 'chosen':
      if (action.kind === 'copy') return `conflict settled by your choice: ${where(action.from)} wins`;
      return action.kind === 'keep' ? `the cloud's version of ${action.of}, kept beside it` : 'conflict settled by your choice: lines merged';
    case 'became-folder':
      return action.kind === 'delete' ? `a folder of this name on ${where(action.side === 'local' ? 'cloud' : 'local')} replaces it (backed up first)` : 'became a folder';
    case 'became-file':
      return action.kind === 'delete' ? `a file on ${where(action.side === 'local' ? 'cloud' : 'local')} replaces the folder it is in (backed up first)` : 'became a file';
    case 'fork-kept':
      if (action.kind === 'keep') return `the version of ${action.of} that gives way, kept as a thread of its own`;
      return action.kind === 'delete' ? 'moved on one machine and continued differently on the other: this copy is kept as a thread of its own beside it' : 'kept';
    case 'form-changed':
      return action.kind === 'delete' ? "the thread's other form (compressed or plain) takes its place: the same thread" : 'form changed';
    case 'recompressed':
      return "both machines compressed this thread: the same turns; the cloud's file is taken";
    case 'archived':
      return 'archived on this machine: the thread moved to archived_sessions/';
    case 'unarchived':
      return 'unarchived on this machine: the thread moved back to sessions/';
    default:
      return action.reason;
  }
}
