import type { DoctorView } from '../../shared/contract.ts';

/** The checks of `codexsync doctor`, one line each: the Settings window's "Check setup" and the first run's last step. */
export function DoctorChecks({ doctor }: { doctor: DoctorView }) {
  return (
    <section aria-labelledby="doctor-title" className="doctor">
      <h2 id="doctor-title">
        Setup check: {doctor.summary.PASS} passed, {doctor.summary.WARN} warnings, {doctor.summary.FAIL} failed
      </h2>
      <ul className="plain">
        {doctor.checks.map((c, i) => (
          <li key={i}>
            <span className={`badge badge-${c.status}`}>{c.status}</span> <strong>{c.name}</strong>: {c.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
