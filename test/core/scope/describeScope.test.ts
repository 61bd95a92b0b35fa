import { describe, expect, it } from 'vitest';
import { describeScope } from '../../../src/core/scope/index.ts';

describe("the scope's own description, for a first run", () => {
  it("names Codex's default scope as what travels, and credentials, databases and Codex's config as what stays", () => {
    expect(describeScope()).toEqual({
      travels: [
        { name: 'sessions', why: 'one rollout file per thread' },
        { name: 'archived_sessions', why: 'archived threads' },
        { name: 'history.jsonl', why: 'prompt history, merged line by line' },
        { name: 'session_index.jsonl', why: 'thread index, merged line by line' },
        { name: 'skills', why: "user skills (skills/.system is Codex's own)" },
      ],
      stays: [
        { name: 'auth.json', why: 'credentials' },
        { name: 'state_*.sqlite', why: 'Codex database, open by its daemon; never copied as a file' },
        { name: 'config.toml', why: 'settings with machine-specific paths inside' },
      ],
    });
  });
});
