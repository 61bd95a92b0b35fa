// Tests read zips with the app's own reader (yauzl): every entry, name to bytes.
export { readZip } from '../../src/core/fs/index.ts';
