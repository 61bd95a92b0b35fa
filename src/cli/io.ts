import type { ProcessSource } from '../core/guard/index.ts';
import { currentEnvironment, type Environment } from '../core/platform.ts';

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: Environment;
  /** Console prompts (process guard): undefined when standard input is not a terminal. */
  prompt: ((question: string) => Promise<string>) | undefined;
  /** The process list the guard reads; the system's unless a test runs the command in-process. */
  processes?: ProcessSource;
  /** Where the logger's console lines go (default: standard error). */
  console?: NodeJS.WritableStream;
  /** False for a command run in-process by a test: no progress line, no Ctrl-C handler. */
  interactive?: boolean;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    cwd: process.cwd(),
    env: currentEnvironment(),
    prompt: process.stdin.isTTY === true ? ttyPrompt : undefined,
  };
}

async function ttyPrompt(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
