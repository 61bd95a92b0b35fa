import { z } from 'zod';
import type { AppServer } from '../../src/core/codex/index.ts';

// Threads with real turns, made through Codex's own app-server (thread/start, turn/start)
// against the model server of test/helpers/fakeModel.ts.

const started = z.object({ thread: z.object({ id: z.string() }) });

/** Starts a thread in `cwd` and runs one turn per prompt; returns its id. */
export async function newThread(server: AppServer, cwd: string, prompts: readonly string[]): Promise<string> {
  const answer = await server.request('thread/start', { cwd }, started);
  if (!answer.ok) throw new Error(`thread/start: ${JSON.stringify(answer.failure)}`);
  for (const prompt of prompts) await addTurn(server, answer.value.thread.id, prompt);
  return answer.value.thread.id;
}

/** Runs one turn on a loaded thread (started or resumed on this server) and waits until it completed. */
export async function addTurn(server: AppServer, threadId: string, prompt: string): Promise<void> {
  let stop = (): void => {};
  let timer: NodeJS.Timeout | undefined;
  const completed = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`turn "${prompt}" did not complete`)), 60_000);
    stop = server.onNotification((method, params) => {
      if (method === 'turn/completed' && (params as { threadId?: unknown }).threadId === threadId) resolve();
    });
  });
  try {
    const answer = await server.request('turn/start', { threadId, input: [{ type: 'text', text: prompt, text_elements: [] }] }, z.object({}));
    if (!answer.ok) throw new Error(`turn/start: ${JSON.stringify(answer.failure)}`);
    await completed;
  } finally {
    clearTimeout(timer);
    stop();
  }
}
