import type { BaseState } from '../../src/core/state/index.ts';

/**
 * A base state as codexSync wrote it before the table form (version 1, one JSON object,
 * entries sorted by path), byte for byte as that code wrote it; `inodes: false` as a base
 * written before inodes were kept.
 */
export function baseAsVersion1(base: BaseState, syncedAt: string, options: { inodes: boolean } = { inodes: true }): string {
  const header = {
    version: 1,
    machineId: base.machineId,
    localRoot: base.localRoot,
    cloudRoot: base.cloudRoot,
    syncedAt,
    ...(base.handoffSeen === undefined ? {} : { handoffSeen: base.handoffSeen }),
    ...(base.marks.size === 0 ? {} : { marks: Object.fromEntries([...base.marks].sort(([a], [b]) => (a < b ? -1 : 1))) }),
  };
  const members = [...base.entries.keys()].sort().map((path) => {
    const e = base.entries.get(path)!;
    const inodes = options.inodes ? `${e.localIno === undefined ? '' : `,"localIno":${e.localIno}`}${e.cloudIno === undefined ? '' : `,"cloudIno":${e.cloudIno}`}` : '';
    return `${JSON.stringify(path)}:{"size":${e.size},"sha256":"${e.sha256}","local":${e.localMtimeMs},"cloud":${e.cloudMtimeMs}${inodes}}`;
  });
  return `${JSON.stringify(header).slice(0, -1)},"entries":{${members.join(',')}}}\n`;
}
