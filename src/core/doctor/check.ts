export type CheckStatus = 'PASS' | 'WARN' | 'FAIL';

/** One line of doctor's report: what was checked, how it stands, and what to do about it. */
export interface Check {
  status: CheckStatus;
  name: string;
  detail: string;
}
