import { describe, expect, it } from 'vitest';
import { choicesFor, keepBothName } from '../../../src/core/plan/choices.ts';

describe('conflict choices', () => {
  it('offers a line merge for JSONL only, and nothing when a side is missing', () => {
    const stat = { size: 1, mtimeMs: 1 };
    expect(choicesFor({ path: 'history.jsonl', kind: 'both-changed', local: stat, cloud: stat })).toEqual(['keep-local', 'take-cloud', 'keep-both', 'merge-lines']);
    expect(choicesFor({ path: 'skills/review/SKILL.md', kind: 'both-changed', local: stat, cloud: stat })).toEqual(['keep-local', 'take-cloud', 'keep-both']);
    expect(choicesFor({ path: 'skills/Review/SKILL.md', kind: 'case', local: stat, cloud: undefined })).toEqual([]);
  });

  it('a fork of a thread keeps both versions whatever is chosen: no line merge of two histories', () => {
    const stat = { size: 1, mtimeMs: 1 };
    expect(choicesFor({ path: 'sessions/2026/11/25/rollout-2026-11-25T09-29-35-01a2120a-007a-7690-8bcc-8aa82c263d97.jsonl', kind: 'fork', local: stat, cloud: stat })).toEqual([
      'keep-local',
      'take-cloud',
      'keep-both',
    ]);
  });

  it('names the cloud version kept beside a file for the machine it came from', () => {
    expect(keepBothName('skills/review/SKILL.md', 'desktop')).toBe('skills/review/SKILL (cloud from desktop).md');
    expect(keepBothName('history.jsonl', 'desktop')).toBe('history (cloud from desktop).jsonl');
    expect(keepBothName('skills/notes/.hidden', undefined)).toBe('skills/notes/.hidden (cloud from another machine)');
    expect(keepBothName('skills/Makefile', 'desktop', 3)).toBe('skills/Makefile (cloud from desktop 3)');
  });
});
