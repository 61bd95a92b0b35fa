import { describe, expect, it } from 'vitest';
import { compareVersions, isNewerVersion, newestCliVersion, readRolloutFile, type ThreadSummary } from '../../../src/core/threads/index.ts';
import { recorded, recordedVersions } from './recorded.ts';

describe('Codex versions', () => {
  it('orders versions as versions, not as strings', () => {
    expect(compareVersions('0.171.0', '0.99.0')).toBe(1);
    expect(compareVersions('0.169.0', '0.171.0')).toBe(-1);
    expect(compareVersions('0.171.0', '0.171.0')).toBe(0);
    expect(compareVersions('0.171', '0.171.0')).toBe(0);
    expect(compareVersions('0.172.0-alpha.2', '0.171.0')).toBe(1);
    expect(compareVersions('0.172.0-alpha.2', '0.172.0')).toBe(-1);
    expect(compareVersions('0.172.0-alpha.10', '0.172.0-alpha.2')).toBe(1);
    expect(compareVersions('0.172.0-alpha.2', '0.172.0-beta.1')).toBe(-1);
    expect(compareVersions('0.1.2505161800', '0.1.2504161510')).toBe(1);
    expect(compareVersions('1.0.0+build.5', '1.0.0')).toBe(0);
    expect(compareVersions('unknown', '0.1.0')).toBeUndefined();
    expect(compareVersions('0.1.0', `0.1.${'9'.repeat(70)}`)).toBeUndefined();
  });

  it('says whether one version is newer than another, false when either is none', () => {
    expect(isNewerVersion('0.171.0', '0.169.0')).toBe(true);
    expect(isNewerVersion('0.169.0', '0.171.0')).toBe(false);
    expect(isNewerVersion('0.171.0', '0.171.0')).toBe(false);
    expect(isNewerVersion('garbage', '0.1.0')).toBe(false);
  });

  it("finds the newest cli_version among a home's threads", async () => {
    const summaries: ThreadSummary[] = [];
    for (const version of recordedVersions) {
      const read = await readRolloutFile(recorded(version, 'two-turns').file);
      if (read.kind === 'thread') summaries.push(read.summary);
    }
    expect(summaries.map((summary) => summary.cliVersion)).toEqual(['0.169.0', '0.171.0']);
    expect(newestCliVersion(summaries)).toBe('0.171.0');
    expect(newestCliVersion([{ cliVersion: '0.99.0' }, {}, { cliVersion: 'nightly' }, { cliVersion: '0.100.1' }, { cliVersion: '0.100.0' }])).toBe('0.100.1');
    expect(newestCliVersion([])).toBeUndefined();
  });
});
