// How a refused first-run choice of folders reads, the same in the command line and the app.
// Plain shapes, not the engine's types: the contract stays free of the engine.

export type RefusedFolder =
  | { code: 'setup-nested'; cloudFolder: string; codexHome: string; inside: 'cloud-in-home' | 'home-in-cloud' }
  | { code: 'setup-unwritable'; folder: string; why: 'missing' | 'not-a-folder' | 'refused' };

/** What a machine id may be, as both words modules say it. */
export const machineIdRule = 'use up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit';

export function refusedFolderText(problem: RefusedFolder): string {
  if (problem.code === 'setup-unwritable') {
    return `${problem.folder} ${problem.why === 'missing' ? 'does not exist' : problem.why === 'not-a-folder' ? 'is not a folder' : 'cannot be written in'}: choose another cloud folder; nothing was written`;
  }
  return problem.inside === 'cloud-in-home'
    ? `the cloud folder ${problem.cloudFolder} is inside the Codex home ${problem.codexHome}: choose a folder outside it; nothing was written`
    : `the Codex home ${problem.codexHome} is inside the cloud folder ${problem.cloudFolder}: choose another cloud folder; nothing was written`;
}
