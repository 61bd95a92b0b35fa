// The shortest step lists the walk found for defects of today's engine, by name:
// `FUZZ_REPLAY=<name> npm run fuzz` plays one. Once a defect is fixed its list plays clean:
// switch its operation on in OPERATIONS (steps.ts), if it is off, and drop it here.
import type { Step } from './steps.ts';

export interface KnownDefect {
  /** The operation of OPERATIONS that exposes it (off until it is fixed, unless the walk rarely meets it). */
  operation: string;
  invariant: string;
  what: string;
  steps: Step[];
}

export const knownDefects: Record<string, KnownDefect> = {};
