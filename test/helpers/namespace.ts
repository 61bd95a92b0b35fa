import { spawnSync } from 'node:child_process';

/**
 * Runs a bash script in its own user and mount namespace, where it may mount a small tmpfs
 * (a disk that fills up), remount it read-only, or bind-mount a file read-only (a file that
 * cannot be replaced). The mounts vanish with the namespace; nothing outside is touched.
 */
export function inNamespace(script: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'bash', '-euo', 'pipefail', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    timeout: 120_000,
  });
  if (result.error !== undefined) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `VALUE` of the last `KEY=VALUE` line of a script's output. */
export function marker(stdout: string, key: string): string | undefined {
  const lines = stdout.split('\n').filter((line) => line.startsWith(`${key}=`));
  return lines.at(-1)?.slice(key.length + 1);
}
