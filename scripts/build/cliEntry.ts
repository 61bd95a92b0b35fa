// The entry of the bundled `codexsync` (out/cli/codexsync.mjs): the same CLI as bin/codexsync.mjs runs from the sources.
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
