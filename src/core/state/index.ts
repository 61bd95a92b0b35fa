export { type BaseEntry, type BaseState, loadBase, saveBase } from './base.ts';
export { baseStateFile } from './location.ts';
