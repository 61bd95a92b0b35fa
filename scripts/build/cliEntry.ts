// The entry of the bundled `codexsync` (out/cli/codexsync.mjs): the same CLI as bin/codexsync.mjs runs from the sources.
// More file-system threads than libuv's 4, as bin/codexsync.mjs gives the CLI from the sources: a
// sync or a restore keeps many files and their fsyncs in flight (bench/results/profile-notes.md).
// Set before the first asynchronous file operation, so before the CLI's modules load.
process.env.UV_THREADPOOL_SIZE ??= '16';
(await import('../../src/core/heap.ts')).keepYoungGenerationSmall();
const { main } = await import('../../src/cli/main.ts');

process.exitCode = await main(process.argv.slice(2));
