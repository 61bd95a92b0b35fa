import { locateCodex, type CodexLocation } from '../../core/codex/index.ts';
import { validateConfig } from '../../core/config/index.ts';
import { locateConfig } from '../../core/config/index.ts';
import { ExitCode } from '../../core/errors.ts';
import { baseStateFile } from '../../core/state/index.ts';
import type { Invocation } from '../args.ts';
import type { Io } from '../io.ts';
import { configMissingText } from '../print/words.ts';

/** Prints "Config is valid." or every problem; writes nothing. */
export function validate(invocation: Extract<Invocation, { kind: 'validate' }>, io: Io): ExitCode {
  const { path } = locateConfig(invocation.config, io.cwd, io.env);
  const result = validateConfig(path, io.env);
  for (const warning of result.warnings) io.out(`warning: ${warning}`);
  if (result.config === undefined) {
    io.out(`Config ${path} is invalid (${result.problems.length} ${result.problems.length === 1 ? 'problem' : 'problems'}):`);
    for (const problem of result.problems) io.out(`  ${result.missing === true ? configMissingText(path) : problem}`);
    return ExitCode.invalidInput;
  }
  const { paths } = result.config;
  io.out(`Codex home:        ${paths.localStateDir} (${paths.localStateSource === 'config' ? 'paths.local_state_dir' : paths.localStateSource})`);
  io.out(`Codex program:     ${codexProgramText(locateCodex({ configured: paths.codexBinary, env: io.env }))}`);
  io.out(`Cloud mirror:      ${paths.cloudRoot}`);
  io.out(`Backups:           ${paths.backupDir}`);
  io.out(`Base state (this machine only): ${baseStateFile(paths)}`);
  io.out(`  state.manifest_file (${paths.legacyManifestFile}) is not used as a shared base; each machine keeps its own.`);
  io.out('Config is valid.');
  return ExitCode.ok;
}

function codexProgramText(location: CodexLocation): string {
  if (location.kind === 'missing') return `not found (looked in ${location.tried.length} places): set codex.binary`;
  const how = { config: 'codex.binary', path: 'on PATH', 'desktop-app': "the Codex app's own" }[location.how];
  return `${location.path} (${how})`;
}
