export { type AppServer, type AppServerOptions, type CloseReport, openAppServer, type ServerInfo, withAppServer } from './appServer.ts';
export { type CodexFailure, type CodexResult } from './failures.ts';
export { type CodexFoundHow, type CodexLocation, locateCodex, type LocateOptions } from './locate.ts';
export {
  archiveThread,
  type CodexSection,
  type CodexThread,
  type CodexTurn,
  deleteThread,
  listSections,
  listThreads,
  moveThreadToSection,
  PINNED_SECTION_ID,
  pinThread,
  readThread,
  resumeThread,
  setThreadName,
  unarchiveThread,
  unlisted,
  unpinThread,
} from './threadCalls.ts';
