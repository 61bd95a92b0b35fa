import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** A regular file as read: its bytes (latin1, so every byte survives) and its time. */
export interface FileNode {
  content: string;
  mtimeMs: number;
}

export interface TreeScan {
  /** Regular files by relative "/"-path, codexSync's temp files and control folder aside. */
  files: Map<string, FileNode>;
  /** Symbolic links by relative path, with where they point. */
  links: Map<string, string>;
  /** codexSync's temp files (".codexsync-*"), anywhere in the tree. */
  temps: string[];
  /** Files of the cloud's control folder (.codexsync/): handoff records, the lock. */
  control: Map<string, FileNode>;
}

export const TEMP_PREFIX = '.codexsync-';
export const CONTROL = '.codexsync';

/** Every file, link and temp file below `root` (an absent root is an empty tree). */
export function scanTree(root: string): TreeScan {
  const scan: TreeScan = { files: new Map(), links: new Map(), temps: [], control: new Map() };
  if (!existsSync(root)) return scan;
  const visit = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const full = join(dir, entry.name);
      if (entry.name.startsWith(TEMP_PREFIX)) scan.temps.push(path);
      else if (entry.isSymbolicLink()) scan.links.set(path, readlinkSync(full));
      else if (entry.isDirectory()) visit(full, path);
      else if (entry.isFile()) {
        const node = { content: readFileSync(full, 'latin1'), mtimeMs: Math.floor(lstatSync(full).mtimeMs) };
        if (path.startsWith(`${CONTROL}/`)) scan.control.set(path, node);
        else scan.files.set(path, node);
      }
    }
  };
  visit(root, '');
  scan.temps.sort();
  return scan;
}

/** Everything below `root` as one string (paths, types, bytes, times): a fingerprint that any write changes. */
export function fingerprint(root: string): string {
  const parts: string[] = [];
  const visit = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const path = `${rel}/${name}`;
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) parts.push(`L ${path} -> ${readlinkSync(full)}`);
      else if (stat.isDirectory()) {
        parts.push(`D ${path} ${stat.mode}`);
        visit(full, path);
      } else parts.push(`F ${path} ${stat.mode} ${stat.mtimeMs} ${hashOf(readFileSync(full, 'latin1'))}`);
    }
  };
  visit(root, '');
  return parts.join('\n');
}

export function hashOf(content: string): string {
  return createHash('sha1').update(content, 'latin1').digest('hex');
}

const threadPath = /^(?:sessions|archived_sessions)\/(?:.*\/)?rollout-[^/]*-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

/** The thread id in a rollout's name, or undefined for any other path. */
export function rolloutIdOf(path: string): string | undefined {
  return threadPath.exec(path)?.[1];
}

/** Whose versions a path holds: a thread's rollout is the same thread in sessions/ or archived_sessions/ (Codex moves it). */
export function versionOwner(path: string): string {
  const id = threadPath.exec(path)?.[1];
  return id === undefined ? path : `thread:${id}`;
}

/** The key of one version of one path (of one thread, for a rollout). */
export function versionKey(path: string, content: string): string {
  return hashOf(`${versionOwner(path)}\0${content}`);
}

/**
 * A rollout's content with its own thread id taken out of its first line: the version of a fork
 * that gave way, kept under a fresh id (only its first line rewritten), has the shape of the
 * version it was. Undefined for anything else.
 */
export function rolloutShape(path: string, content: string): string | undefined {
  const id = threadPath.exec(path)?.[1];
  if (id === undefined) return undefined;
  const end = content.indexOf('\n') + 1;
  return hashOf(`${content.slice(0, end).replaceAll(id, '<thread>')}${content.slice(end)}`);
}

/** A JSONL file's lines as codexSync's line-union merge splits them. */
export function jsonlLines(content: string): string[] {
  return content
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.trim() !== '');
}
