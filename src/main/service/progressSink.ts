import type { ApplyProgress } from '../../core/apply/index.ts';
import type { EventOf } from '../../shared/contract.ts';

/** Carries the engine's per-file progress to the windows, about a hundred times per run at most. */
export class ProgressSink {
  task: 'apply' | 'restore' = 'apply';
  private readonly send: (event: EventOf<'progress'>) => void;
  private lastStep = -1;

  constructor(send: (event: EventOf<'progress'>) => void) {
    this.send = send;
  }

  report(event: ApplyProgress): void {
    const step = event.total === 0 ? 100 : Math.floor((event.done * 100) / event.total);
    if (step === this.lastStep && event.done !== event.total) return;
    this.lastStep = step;
    this.send({ task: this.task, done: event.done, total: event.total, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal, path: event.path });
  }
}
