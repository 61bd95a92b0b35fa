// The vocabulary of the random walk: the operations, which of them are on, the files they
// touch, and what each one writes. A step is plain data, so a failing walk prints as a list
// that replays exactly (and shrinks: a step whose file is gone does nothing).

export type Machine = 'a' | 'b';
export const machines: readonly Machine[] = ['a', 'b'];

/** How a cloud client names the copy it makes when two machines wrote one file. */
export type CopyStyle = 'google' | 'dropbox' | 'syncthing';

export type Step =
  | { op: 'create' | 'edit' | 'append'; m: Machine; path: string; v: number }
  | { op: 'truncate'; m: Machine; path: string; eighths: number }
  | { op: 'delete'; m: Machine; path: string }
  | { op: 'rename'; m: Machine; path: string; to: string }
  | { op: 'archive'; m: Machine; path: string }
  | { op: 'symlink'; m: Machine; path: string; target: 'file' | 'dir' }
  | { op: 'unlink'; m: Machine; path: string }
  /** A file becomes a folder holding one file (`to`), or such a folder becomes a file again. */
  | { op: 'fileToFolder' | 'folderToFile'; m: Machine; path: string; v: number }
  /** An edit that keeps the file's size and modification time (a tool that restores times). */
  | { op: 'sameStatEdit'; m: Machine; path: string; v: number }
  /** A codexSync apply; `kill`: the process dies right after that write; `late`: the cloud client delivers some of its cloud writes later. */
  | { op: 'run'; m: Machine; kill?: number; late?: number; mergeCopies: boolean; acceptDeletion: boolean }
  /** The cloud client delivers some of what it holds back, in some order. */
  | { op: 'deliver'; seed: number }
  /** The cloud client has written half of a held-back file in place (a data file, or a handoff record). */
  | { op: 'halfArrive'; seed: number; record: boolean }
  | { op: 'conflictCopy'; path: string; style: CopyStyle; v: number }
  /** The user deals with the cloud client's conflict copies: deletes them, or takes them over the originals. */
  | { op: 'resolve'; how: 'delete' | 'adopt' }
  /** The user replaces a folder of the cloud mirror with a symbolic link to a folder elsewhere. */
  | { op: 'cloudFolderLink'; path: string }
  /** Everything delivered, then runs on a, b, a with nothing in between: both machines and the cloud must agree. */
  | { op: 'quiet'; seed: number };

/**
 * Each kind of operation the walk may choose. The ones that expose a defect known today are
 * off, each named with the defect that keeps it off; FUZZ_OPS="+name,-name" changes the set.
 */
export const OPERATIONS = {
  create: true,
  append: true,
  edit: true,
  truncate: true,
  delete: true,
  rename: true,
  archive: true,
  symlink: true,
  run: true,
  kill: true,
  late: true,
  deliver: true,
  conflictCopy: true,
  resolve: true,
  quiet: true,
  // A symbolic link put in the place of a synced file: nothing is written through it, every
  // other file's handoff goes on, and while the link stays that path is unknown on that machine
  // (by design: what is skipped is unknown), so "converge" leaves that machine out for it.
  linkOverFile: true,
  /** Runs that merge conflict copies into their originals (--merge-conflict-copies). */
  mergeCopies: true,
  /** A file turned folder or the reverse (type changes propagate, or are a conflict). */
  fileFolder: true,
  // A cloud folder turned into a symlink: nothing below it is deleted or written, and while the
  // link stays the files below it are unknown in the cloud, by design (what is skipped is
  // unknown): "converge" leaves such paths out.
  cloudFolderLink: true,
  // Same size, same time, other content: under compare = "mtime" (0.1.2's default, the walk's)
  // equal_mtime_action = "skip" leaves it different on purpose. enable when: the walk runs
  // with compare = "mtime_hash_fallback".
  sameStatEdit: false,
  /** A handoff record half written in place (its files all whole): holds today. */
  halfArrivedRecord: true,
  /** A file of a handoff half written in the cloud folder (cut short), delivered whole later. */
  halfArrivedFile: true, // defects.ts: half-arrived-file (before any record exists)
};
export type OperationName = keyof typeof OPERATIONS;
export type Operations = Record<OperationName, boolean>;

/** OPERATIONS changed by "+name,-name" (FUZZ_OPS); "+all" turns every operation on. */
export function operationsFrom(spec: string | undefined): Operations {
  const ops: Operations = { ...OPERATIONS };
  for (const item of (spec ?? '').split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const on = !item.startsWith('-');
    const name = item.replace(/^[+-]/, '');
    if (name === 'all') for (const key of Object.keys(ops) as OperationName[]) ops[key] = on;
    else if (name in ops) ops[name as OperationName] = on;
    else throw new Error(`FUZZ_OPS: no operation "${name}" (one of ${Object.keys(ops).join(', ')})`);
  }
  return ops;
}

// ---- The files -----------------------------------------------------------------------------

const threadIds = ['019a0001-0000-7000-8000-000000000001', '019a0002-0000-7000-8000-000000000002', '019a0003-0000-7000-8000-000000000003'];
const threadDays = ['28', '29', '29'];

export const rolloutPaths: readonly string[] = threadIds.map((id, i) => `sessions/2026/11/${threadDays[i] ?? '28'}/rollout-2026-11-${threadDays[i] ?? '28'}T10-00-0${i}-${id}.jsonl`);
export const skillPaths: readonly string[] = ['skills/alpha/SKILL.md', 'skills/alpha/notes.md', 'skills/beta/SKILL.md', 'skills/beta/notes.md', 'skills/gamma/SKILL.md'];
export const mergedPaths: readonly string[] = ['history.jsonl', 'session_index.jsonl'];
/** A file that can become a folder holding `folderChild`. */
export const reshapePath = 'skills/gamma/refs';
export const folderChild = `${reshapePath}/a.md`;
/** Names only symbolic links ever take (a link in a synced file's place would block that path, not test it). */
export const linkPaths: readonly string[] = ['skills/link-to-file.md', 'skills/linked-folder'];
/** Cloud folders the user may replace with a link. */
export const cloudLinkFolders: readonly string[] = ['skills/beta'];

/** Every regular file a user can create. */
export const creatable: readonly string[] = [...skillPaths, ...rolloutPaths, ...mergedPaths, reshapePath];

/** archived_sessions/<name> for sessions/YYYY/MM/DD/<name>. */
export function archivedPath(rollout: string): string {
  return `archived_sessions/${rollout.slice(rollout.lastIndexOf('/') + 1)}`;
}

export function isJsonl(path: string): boolean {
  return path.endsWith('.jsonl');
}

// ---- What a step writes ----------------------------------------------------------------------

const epoch = Date.UTC(2026, 10, 30, 8, 0, 0);
const iso = (v: number): string => new Date(epoch + v * 1000).toISOString();

function threadOf(path: string): string {
  return /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/.exec(path)?.[1] ?? 'none';
}

/** One line a user's Codex appends to a JSONL file, dated by its version number. */
export function jsonlLine(path: string, m: Machine, v: number): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'history.jsonl') return `{"session_id":"${threadIds[v % 3] ?? ''}","ts":${Math.floor((epoch + v * 1000) / 1000)},"text":"prompt ${v} on ${m}"}\n`;
  if (name === 'session_index.jsonl') return `{"id":"${threadIds[v % 3] ?? ''}","thread_name":"thread ${v}","updated_at":"${iso(v)}"}\n`;
  return `{"timestamp":"${iso(v)}","type":"event_msg","payload":{"type":"agent_message","message":"step ${v} on ${m}"}}\n`;
}

/** A whole new file: a rollout starts with its session_meta line; other files are text of varying length. */
export function freshContent(path: string, m: Machine, v: number): string {
  if (path.startsWith('sessions/') || path.startsWith('archived_sessions/')) {
    return `{"timestamp":"${iso(v)}","type":"session_meta","payload":{"id":"${threadOf(path)}","cwd":"/home/${m}/src","v":${v}}}\n`;
  }
  if (isJsonl(path)) return jsonlLine(path, m, v);
  return `# ${path}\nversion ${v}, written on ${m}\n${'lorem ipsum '.repeat(v % 9)}\n`;
}

// ---- Steps in words --------------------------------------------------------------------------

export function describeStep(step: Step): string {
  switch (step.op) {
    case 'create':
    case 'edit':
    case 'append':
      return `${step.m}: ${step.op} ${step.path} (v${step.v})`;
    case 'truncate':
      return `${step.m}: truncate ${step.path} to ${step.eighths}/8 of its bytes`;
    case 'delete':
    case 'archive':
    case 'unlink':
      return `${step.m}: ${step.op} ${step.path}`;
    case 'rename':
      return `${step.m}: rename ${step.path} -> ${step.to}`;
    case 'symlink':
      return `${step.m}: symlink ${step.path} -> a ${step.target} outside the roots`;
    case 'fileToFolder':
      return `${step.m}: the file ${step.path} becomes a folder with ${folderChild} (v${step.v})`;
    case 'folderToFile':
      return `${step.m}: the folder ${step.path} becomes a file (v${step.v})`;
    case 'sameStatEdit':
      return `${step.m}: edit ${step.path} keeping its size and time (v${step.v})`;
    case 'run': {
      const extras = [
        step.kill === undefined ? undefined : `killed after write ${step.kill}`,
        step.late === undefined ? undefined : `cloud client holds some writes back (seed ${step.late})`,
        step.mergeCopies ? 'merging conflict copies' : undefined,
        step.acceptDeletion ? 'large deletion accepted' : undefined,
      ].filter((x) => x !== undefined);
      return `${step.m}: sync --apply${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
    }
    case 'deliver':
      return `cloud client: delivers held-back files (seed ${step.seed})`;
    case 'halfArrive':
      return `cloud client: half of a held-back ${step.record ? 'handoff record' : 'file'} written in place (seed ${step.seed})`;
    case 'conflictCopy':
      return `cloud client: ${step.style} conflict copy of ${step.path} (v${step.v})`;
    case 'resolve':
      return `user: ${step.how === 'delete' ? 'deletes' : 'takes'} the cloud's conflict copies`;
    case 'cloudFolderLink':
      return `user: the cloud folder ${step.path} becomes a symlink to a folder outside`;
    case 'quiet':
      return `quiet: everything delivered, then sync on a, b, a (seed ${step.seed}); all three trees must agree`;
  }
}
