// `npm test` and the other scripts start here: they run with node_modules/.bin first on
// PATH, where npm links the bundled Node 24 on Linux x64. This check makes a wrong Node a
// one-line message instead of a confusing failure deep inside a test runner.
import { tooOldMessage, versionOk } from './node-runtime.mjs';

if (!versionOk(process.version)) {
  process.stderr.write(`${tooOldMessage(process.version)}\n`);
  process.exit(1);
}
