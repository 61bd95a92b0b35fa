import { describe, expect, it } from 'vitest';
import { backgroundNotice, codexStartedNotice, NoticeGate } from '../../src/main/model/backgroundNotice.ts';
import { facts } from './planFacts.ts';

describe('background check notifications', () => {
  it('tells work from another machine first, naming it', () => {
    expect(backgroundNotice(facts({ toLocal: 2, toCloud: 1 }), 'desktop')).toEqual({ title: 'codexSync', body: 'Work from desktop is ready to hand off', opens: 'review' });
    expect(backgroundNotice(facts({ merges: 1 }), undefined)?.body).toBe('Work from another machine is ready to hand off');
    expect(backgroundNotice(facts({ deletesLocal: 1 }), 'desktop')?.body).toBe('Work from desktop is ready to hand off');
    expect(backgroundNotice(facts({ arriving: { from: 'studio', files: 2 } }), 'desktop')?.body).toBe('Work from studio is ready to hand off');
  });

  it("then this machine's own changes, and nothing when both sides agree", () => {
    expect(backgroundNotice(facts({ toCloud: 3 }), 'desktop')).toEqual({ title: 'codexSync', body: 'Local changes not handed off yet', opens: 'review' });
    expect(backgroundNotice(facts({ deletesCloud: 1 }), undefined)?.body).toBe('Local changes not handed off yet');
    expect(backgroundNotice(facts({ work: 4 }), 'desktop')).toBeUndefined();
  });

  it('says when files changed on both machines', () => {
    expect(backgroundNotice(facts({ unresolved: 1, conflicts: 1, toLocal: 1 }), 'desktop')?.body).toBe('A file changed on this machine and on desktop: review the plan');
    expect(backgroundNotice(facts({ unresolved: 3, conflicts: 3 }), 'desktop')?.body).toBe('3 files changed on this machine and on desktop: review the plan');
  });

  it('shows the same news once, and again once it changed or was settled in between', () => {
    const gate = new NoticeGate();
    const news = facts({ toLocal: 2 });
    const notice = backgroundNotice(news, 'desktop');
    expect(gate.admit(notice, news)).toBe(true);
    expect(gate.admit(notice, news)).toBe(false);
    const more = facts({ toLocal: 3 });
    expect(gate.admit(backgroundNotice(more, 'desktop'), more)).toBe(true);
    expect(gate.admit(undefined, facts())).toBe(false);
    expect(gate.admit(backgroundNotice(more, 'desktop'), more)).toBe(true);
  });
});

describe('Codex started', () => {
  it("warns only while another machine's work waits: to take it first, or to wait for it while it arrives", () => {
    expect(codexStartedNotice({ kind: 'waiting', direction: 'incoming', machine: 'desktop' })).toEqual({
      title: 'codexSync',
      body: 'Codex started while work from desktop is waiting: close Codex and hand off first, or your threads fork',
      opens: 'review',
    });
    expect(codexStartedNotice({ kind: 'waiting', direction: 'incoming', machine: undefined, arriving: 2 })).toEqual({
      title: 'codexSync',
      body: 'Codex started while work from another machine is still arriving: close Codex, wait for it, then hand off',
      opens: undefined,
    });
    expect(codexStartedNotice({ kind: 'waiting', direction: 'outgoing', machine: undefined })).toBeUndefined();
    expect(codexStartedNotice({ kind: 'idle', note: 'in-sync' })).toBeUndefined();
    expect(codexStartedNotice({ kind: 'conflict', count: 1, planId: undefined })).toBeUndefined();
  });
});
