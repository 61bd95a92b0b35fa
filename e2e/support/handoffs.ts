import { readRolloutHead } from '../../src/core/threads/index.ts';
import { madeUpId, rekeyed } from '../../test/helpers/rollouts.ts';
import { writeFile } from '../../test/helpers/workspace.ts';
import { handOff, machines } from './machines.ts';

/**
 * The laptop hands off a thread (one turn) and a skill, the desktop takes them; the laptop goes
 * on (two turns, a new skill) and hands off again; the desktop takes that too, backing up the
 * one-turn version and the old skill first. Real `codexsync sync --apply` runs throughout.
 */
export async function threadHandedOffTwice(): Promise<{ desktop: ReturnType<typeof machines>['desktop']; id: string; path: string; title: string; one: Buffer; two: Buffer }> {
  const { laptop, desktop } = machines();
  const id = madeUpId(77);
  const one = rekeyed('one-turn', id);
  const two = rekeyed('two-turns', id);
  writeFile(laptop.home, one.path, one.bytes, new Date(Date.now() - 180_000));
  writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff, version 1.\n', new Date(Date.now() - 180_000));
  await handOff(laptop);
  await handOff(desktop);
  writeFile(laptop.home, two.path, two.bytes, new Date(Date.now() - 60_000));
  writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff, version two.\n', new Date(Date.now() - 60_000));
  await handOff(laptop);
  await handOff(desktop);
  const head = await readRolloutHead(`${desktop.home}/${one.path}`);
  const title = head.kind === 'thread' ? head.summary.title : '';
  return { desktop, id, path: one.path, title, one: one.bytes, two: two.bytes };
}
