export { type CodexFoundHow, type CodexLocation, locateCodex, type LocateOptions } from './locate.ts';
