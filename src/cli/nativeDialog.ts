import { spawnSync } from 'node:child_process';
import type { Confirmer } from '../core/guard/index.ts';
import type { Environment } from '../core/platform.ts';
import { terminationQuestion } from './print/words.ts';

/**
 * terminate_confirmation_mode = "gui" from the command line: the system's own yes/no dialog
 * (a WPF message box on Windows, osascript on macOS, zenity or kdialog on Linux desktops).
 * Where no dialog can be shown (no desktop session), the console confirmer answers instead.
 * The app shows Electron's native dialog through the same Confirmer interface.
 */
export function nativeDialogConfirmer(env: Environment, fallback: Confirmer): Confirmer {
  return {
    async confirmTermination(request) {
      const answer = ask(env, terminationQuestion(request));
      return answer === undefined ? fallback.confirmTermination(request) : answer;
    },
  };
}

function ask(env: Environment, text: string): boolean | undefined {
  switch (env.platform) {
    case 'windows': {
      const quoted = text.replace(/'/g, "''");
      const script = `Add-Type -AssemblyName PresentationFramework; [System.Windows.MessageBox]::Show('${quoted}', 'codexSync', 'YesNo', 'Warning')`;
      const result = spawnSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', windowsHide: true });
      return result.status === 0 ? result.stdout.trim() === 'Yes' : undefined;
    }
    case 'macos': {
      const quoted = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      const script = `display dialog "${quoted}" with title "codexSync" buttons {"No", "Yes"} default button "No" with icon caution`;
      const result = spawnSync('osascript', ['-e', script], { encoding: 'utf8' });
      return result.status === 0 ? result.stdout.includes('button returned:Yes') : undefined;
    }
    case 'linux': {
      if ((env.vars.DISPLAY ?? env.vars.WAYLAND_DISPLAY ?? '') === '') return undefined;
      for (const [command, args] of [
        ['zenity', ['--question', '--title=codexSync', `--text=${text}`, '--no-markup']],
        ['kdialog', ['--title', 'codexSync', '--yesno', text]],
      ] as const) {
        const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env.vars } });
        if (result.error !== undefined) continue; // not installed
        if (result.status === 0) return true;
        if (result.status === 1) return false;
      }
      return undefined;
    }
  }
}

/** The console's confirmer: the English question on a terminal, answered y or yes; no terminal means no. */
export function consoleConfirmer(prompt: ((question: string) => Promise<string>) | undefined): Confirmer {
  return {
    async confirmTermination(request) {
      if (prompt === undefined) return false;
      return isYes(await prompt(`${terminationQuestion(request)} [y/N] `));
    },
  };
}

export function isYes(answer: string): boolean {
  return /^\s*(y|yes)\s*$/i.test(answer);
}
