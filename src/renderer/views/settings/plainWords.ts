// The settings a person changes, in plain words: each choice of a config key said as what it does.

export interface Choice {
  value: string;
  label: string;
  help: string;
}

/** conflict.policy: both machines changed the same file since the last hand-off. */
export const conflictChoices: Choice[] = [
  { value: 'manual_abort', label: 'Ask me', help: 'Stop and show me both copies; nothing changes until I choose. The safe choice.' },
  { value: 'prefer_local', label: "Keep this machine's", help: "This machine's copy goes to the cloud folder; the cloud's copy is kept in a backup." },
  { value: 'prefer_cloud', label: "Keep the cloud's", help: "The cloud folder's copy comes to this machine; this machine's copy is kept in a backup." },
  {
    value: 'prefer_newer_mtime',
    label: 'Keep the newer',
    help: 'The copy changed last wins; the other is kept in a backup. If the two clocks disagree, the wrong copy can win.',
  },
];

/** sync.equal_mtime_action: the two copies differ but carry the same time, so neither is newer. */
export const equalTimeChoices: Choice[] = [
  { value: 'skip', label: 'Leave both as they are', help: 'Neither copy moves; the file is listed as skipped in the plan.' },
  { value: 'manual_abort', label: 'Ask me', help: 'Stop and show me both copies; nothing changes until I choose.' },
  { value: 'prefer_local', label: "Keep this machine's", help: "This machine's copy goes to the cloud folder; the cloud's copy is kept in a backup." },
  { value: 'prefer_cloud', label: "Keep the cloud's", help: "The cloud folder's copy comes to this machine; this machine's copy is kept in a backup." },
];

/** backup.compression. */
export const compressionChoices: Choice[] = [
  { value: 'none', label: 'A plain folder', help: 'Each snapshot is a folder of files you can open and copy by hand.' },
  { value: 'zip', label: 'One zip file', help: 'Each snapshot is a single .zip: smaller, and unpacked when you restore from it.' },
];
