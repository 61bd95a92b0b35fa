/** A file a cloud client made when two machines wrote the same file. */
export interface ConflictCopy {
  path: string;
  /** The file it is a copy of. */
  original: string;
  client: 'Dropbox' | 'OneDrive' | 'Google Drive' | 'iCloud' | 'Syncthing';
}

/** Distinctive patterns: recognised even when the original is gone. */
const syncthing = /^(.*)\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}(\.[^.]*)?$/;
const dropbox = /^(.*) \((?:[^()]*'s )?conflicted copy(?: [^()]*)?\)(\.[^.]*)?$/i;
/** Generic patterns: recognised only next to their original. */
const googleDrive = /^(.*) \(\d+\)(\.[^.]*)?$/;
const icloud = /^(.*) \d+(\.[^.]*)?$/;
const oneDriveSuffix = /^[A-Z0-9][A-Z0-9-]*[A-Z0-9]$/;

/**
 * Recognises a conflict copy by its name in a folder: Dropbox "(… conflicted copy …)",
 * Syncthing ".sync-conflict-YYYYMMDD-HHMMSS-XXXXXXX", and, when the original is beside it,
 * Google Drive "name (1).ext", iCloud "name 2.ext" and OneDrive "name-COMPUTERNAME.ext".
 */
export function conflictCopyOf(name: string, siblings: ReadonlySet<string>): { original: string; client: ConflictCopy['client'] } | undefined {
  let m = syncthing.exec(name);
  if (m !== null) return { original: `${m[1]}${m[2] ?? ''}`, client: 'Syncthing' };
  m = dropbox.exec(name);
  if (m !== null) return { original: `${m[1]}${m[2] ?? ''}`, client: 'Dropbox' };
  m = googleDrive.exec(name);
  if (m !== null && siblings.has(`${m[1]}${m[2] ?? ''}`)) return { original: `${m[1]}${m[2] ?? ''}`, client: 'Google Drive' };
  m = icloud.exec(name);
  if (m !== null && siblings.has(`${m[1]}${m[2] ?? ''}`)) return { original: `${m[1]}${m[2] ?? ''}`, client: 'iCloud' };
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
    const suffix = stem.slice(i + 1);
    if (oneDriveSuffix.test(suffix) && /[A-Z]/.test(suffix) && siblings.has(`${stem.slice(0, i)}${ext}`)) {
      return { original: `${stem.slice(0, i)}${ext}`, client: 'OneDrive' };
    }
  }
  return undefined;
}
