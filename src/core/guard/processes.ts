import psList from 'ps-list';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Executable name (on Linux from /proc/<pid>/exe, else the 15-character comm). */
  name: string;
  /** Full command line; empty where the OS does not give it (Windows). */
  cmd: string;
}

/** Where process snapshots come from: the real system, or a recorded snapshot in tests of Windows rules. */
export interface ProcessSource {
  list(): Promise<ProcessInfo[]>;
}

export const systemProcesses: ProcessSource = {
  async list() {
    const processes = await psList({ all: false });
    return (
      processes
        // A zombie has exited and only waits for its parent to read its status.
        .filter((p) => !(p.cmd ?? '').endsWith('<defunct>'))
        .map((p) => ({ pid: p.pid, ppid: p.ppid, name: p.name, cmd: p.cmd ?? '' }))
    );
  },
};
