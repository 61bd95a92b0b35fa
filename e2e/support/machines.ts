import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../test/helpers/cli.ts';
import { tempDir } from '../../test/helpers/tmp.ts';
import { workspace, type Workspace } from '../../test/helpers/workspace.ts';

/** Two machines, "laptop" and "desktop", each with its Codex home, sharing one cloud folder. */
export function machines(extra = ''): { dir: string; laptop: Workspace; desktop: Workspace } {
  const dir = tempDir('codexsync-e2e');
  return { dir, laptop: workspace(dir, { machine: 'laptop', extra }), desktop: workspace(dir, { machine: 'desktop', extra }) };
}

/** The real `codexsync` command of one machine. */
export async function handOff(ws: Workspace): Promise<void> {
  const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
  if (result.code !== 0) throw new Error(`codexsync sync --apply exited ${result.code}: ${result.stderr}${result.stdout}`);
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, ...path.split('/')), 'utf8');
}
