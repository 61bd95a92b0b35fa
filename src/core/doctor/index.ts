export { type Check, type CheckStatus } from './check.ts';
export { type DoctorReport, runDoctor } from './doctor.ts';
