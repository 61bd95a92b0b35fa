export { type DoctorReport, runDoctor } from './doctor.ts';
