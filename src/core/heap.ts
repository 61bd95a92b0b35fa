import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation at its first size for this process, the command line's and the
 * app's main process alike. A run keeps its tables (one string per path, read in one go) and
 * throws the rest away; V8 grew the young generation for those tables to its largest, which at
 * 100,000 files was about 50 MB of a no-change plan's peak and about as much of the app's full
 * plan at start, and a first sync's plan was no faster for it (see bench/results/profile-notes.md).
 * Read by V8 at each collection, so it holds when set after the start.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
