import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { renderTemplate } from '../../core/config/index.ts';
import { ExitCode, isNodeError, plainError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs/index.ts';
import type { Invocation } from '../args.ts';
import type { Io } from '../io.ts';

export async function initConfig(invocation: Extract<Invocation, { kind: 'init-config' }>, io: Io): Promise<ExitCode> {
  const target = resolve(io.cwd, invocation.output ?? 'config.toml');
  const existing = await stat(target).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (existing?.isDirectory() === true) {
    throw plainError(ExitCode.invalidInput, `${target} is a folder: pass the path of the file to write, e.g. --output ${target}/config.toml`);
  }
  if (existing !== undefined && !invocation.force) {
    throw plainError(ExitCode.invalidInput, `${target} already exists: pass --force to replace it`);
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, renderTemplate());
  io.out(`Wrote ${target}`);
  io.out(`Next: set paths.workspace_root_dir to your codexSync folder inside the cloud folder, then run: codexsync -c "${target}" validate`);
  return ExitCode.ok;
}
