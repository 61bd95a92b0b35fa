import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { saveSettings, loadConfig, type LoadedConfig } from '../../core/config/index.ts';
import { restore, sync, WarmPlanner, type EngineContext, type PlanResult, type RestoreOptions } from '../../core/engine/index.ts';
import { CodexSyncError, ExitCode, plainError } from '../../core/errors.ts';
import { checkCodex, type Confirmer, type ProcessSource } from '../../core/guard/index.ts';
import { otherMachinesRecords, type HandoffRecord } from '../../core/handoff/index.ts';
import { localDate, type Logger } from '../../core/log/index.ts';
import type { ConflictChoice } from '../../core/plan/index.ts';
import type { Environment } from '../../core/platform.ts';
import type { Envelope, EventChannel } from '../../shared/channels.ts';
import type { ApplyOutcome, EventOf, PlanView, ResponseOf, RestoreView, StatusView } from '../../shared/contract.ts';
import { formatBytes, plural } from '../../shared/format.ts';
import { backgroundNotice, NoticeGate, type Notice } from '../model/backgroundNotice.ts';
import { decideHandoff, reviewReasons } from '../model/handoffDecision.ts';
import { initialState, nextState, type BusyTask, type HandoffEvent, type HandoffState } from '../model/handoffState.ts';
import { planFacts } from '../model/planFacts.ts';
import type { UnwatchedFolder } from '../treeWatch.ts';
import { appChoicesHandlers, type AppChoicesStore } from './appChoices.ts';
import { dispatchRequest, type Handlers } from './dispatch.ts';
import { appEngineContext } from './engineContext.ts';
import { finishedEvent, handoffRecordsOf, messageOf, restoreView, statusView, syncOutcome } from './outcomes.ts';
import type { RescanReason } from './words.ts';
import { TreePlans } from './treePlans.ts';
import { planView } from './planView.ts';
import { ProgressSink } from './progressSink.ts';
import { readHandlers } from './readHandlers.ts';
import { setupHandlers } from './setup.ts';

export interface AppServiceDeps {
  configFile: string;
  env: Environment;
  confirmer: Confirmer;
  processes?: ProcessSource;
  now?: () => Date;
  /** Pushes an event to every window. */
  emit<E extends EventChannel>(event: E, payload: EventOf<E>): void;
  /** Shows a desktop notification (the e2e host records them). */
  notify(notice: Notice): void;
  /** Opens the review window on a kept plan. */
  openReview(planId: string): void;
  /** config.toml was saved: watchers of the cloud and log folders start again. */
  settingsSaved?(): void;
  /** The system's folder picker, for the first run; undefined when cancelled. */
  chooseFolder?(): Promise<string | undefined>;
  /** The app's own choices (app.json and the login item); without it they read as off and cannot be set. */
  appChoices?: AppChoicesStore;
  /** The folders of the trees the system would not watch: with any, a check cannot trust its kept scans. */
  unwatchedFolders?(): readonly UnwatchedFolder[];
}

interface KeptPlan {
  id: string;
  result: PlanResult;
  view: PlanView;
  records: HandoffRecord[];
}

/** One running write; Cancel aborts it (the engine stops before the next file it would start). */
type Token = AbortController;

/**
 * The app's side of the contract, with no Electron in it: the Electron main binds it to IPC and
 * the tray, the e2e host to HTTP. It keeps the plan under review, runs one write at a time (with
 * cancel between files), and keeps the tray's state with the pure state machine.
 */
export class AppService {
  readonly handlers: Handlers;
  private readonly deps: AppServiceDeps;
  private current: HandoffState = initialState;
  private plan: KeptPlan | undefined;
  private running: Token | undefined;
  private readonly gate = new NoticeGate();
  private lastError: string | undefined;
  private readonly listeners = new Set<(state: HandoffState) => void>();
  /** The scans, base and records of the last plan; the folder watchers tell it what changed, and a check plans without walking both trees. */
  readonly warm = new WarmPlanner();
  private readonly plans: TreePlans;

  constructor(deps: AppServiceDeps) {
    this.deps = deps;
    this.plans = new TreePlans(this.warm, deps.unwatchedFolders);
    this.handlers = {
      status: async () => this.status(),
      plan: (request) => this.planRequest(request.planId),
      apply: (request) => this.applyRequest(request.planId, request.choices),
      cancel: async (request) => this.cancel(request.planId),
      restore: (request) => this.restore({ from: request.name, target: request.target, apply: request.apply, ...(request.paths === undefined ? {} : { paths: request.paths }) }),
      writeSettings: async (request) => {
        const saved = await saveSettings(deps.configFile, request.values, { dryRun: request.dryRun, env: deps.env, now: this.now() });
        if (saved.saved) {
          deps.settingsSaved?.();
          deps.emit('status', this.status());
        }
        return saved;
      },
      restoreAsOf: (request) => this.restore({ from: undefined, target: request.target, apply: request.apply, at: new Date(request.at) }),
      ...readHandlers({ configFile: deps.configFile, env: deps.env, config: () => this.config(), now: () => this.now(), withRuntime: (work) => this.withRuntime(undefined, work) }),
      ...appChoicesHandlers(deps.appChoices),
      ...setupHandlers({ ...deps, now: () => this.now(), written: () => (deps.settingsSaved?.(), deps.emit('status', this.status())) }),
    };
  }

  /** Validates a request against the contract, runs it, and answers with an envelope (never throws). */
  dispatch(channel: string, raw: unknown): Promise<Envelope<unknown>> {
    return dispatchRequest(this.handlers, channel, raw);
  }

  state(): HandoffState {
    return this.current;
  }

  onState(listener: (state: HandoffState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isBusy(): boolean {
    return this.running !== undefined;
  }

  status(): StatusView {
    return statusView(this.deps.configFile, this.deps.env, this.current, this.running !== undefined);
  }

  /** "Hand off now": Codex closed (asking first), plan, then apply, or open the review window. */
  async handOffNow(): Promise<void> {
    if (this.running !== undefined) {
      this.deps.notify({ title: 'codexSync', body: 'A hand-off is already running', opens: undefined });
      return;
    }
    try {
      await this.busy('handoff', (token) =>
        this.withRuntime(token, async (ctx) => {
          await checkCodex({ settings: ctx.config.settings, platform: ctx.platform, override: undefined, confirmer: ctx.confirmer, processes: ctx.processes, log: ctx.log, verbose: false }, 'enforce');
          const kept = await this.keep(ctx, await this.plans.plan(ctx));
          const facts = planFacts(kept.result);
          const decision = decideHandoff(facts);
          const machine = kept.records[0]?.machineId;
          switch (decision.kind) {
            case 'nothing':
              this.deps.notify({
                title: 'codexSync',
                body: facts.leftDifferent > 0 ? `Nothing to hand off; ${plural(facts.leftDifferent, 'file')} left different on purpose` : 'Already in sync: nothing to hand off',
                opens: undefined,
              });
              return { value: undefined, event: { type: 'finished', outcome: 'in-sync', conflicts: 0, message: '' } };
            case 'wait':
              this.deps.notify({
                title: 'codexSync',
                body: `Work from ${decision.from} is still arriving (${plural(decision.files, 'file')}): hand off again when your cloud client has finished`,
                opens: undefined,
              });
              return { value: undefined, event: { type: 'checked', facts, machine } };
            case 'review':
              this.deps.openReview(kept.id);
              this.deps.notify({ title: 'codexSync', body: `Review the plan before it is applied: ${decision.reasons.map((r) => r.text).join('; ')}`, opens: 'review' });
              return { value: undefined, event: { type: 'review', planId: kept.id, facts, reasons: decision.reasons.map((r) => r.code) } };
            case 'apply': {
              this.deps.notify({ title: 'codexSync', body: `Handing off ${plural(decision.files, 'file')} (${formatBytes(decision.bytes)})…`, opens: undefined });
              const { outcome, event } = await this.applyKept(ctx, kept, new Map());
              this.deps.notify({ title: 'codexSync', body: outcome.message, opens: outcome.status === 'applied' || outcome.status === 'in-sync' ? undefined : 'review' });
              return { value: undefined, event };
            }
          }
        }),
      );
    } catch (error) {
      this.deps.notify({ title: 'codexSync', body: `Not handed off: ${messageOf(error)}`, opens: 'logs' });
    }
  }

  /**
   * At login and when another machine's handoff record arrives: plans without writing and tells
   * what waits, once per piece of news. A check never asks anything and never ends a process.
   */
  async backgroundCheck(rescan?: RescanReason): Promise<void> {
    if (this.running !== undefined) return;
    try {
      await this.withRuntime(undefined, async (ctx) => {
        const result = await this.plans.plan(ctx, rescan);
        const { others, handedOffAt } = await handoffRecordsOf(ctx.config.paths.cloudRoot, ctx.config.settings.identity.machine_id);
        const facts = planFacts(result);
        const machine = others[0]?.machineId;
        this.lastError = undefined;
        this.transition({ type: 'checked', facts, machine, ...(handedOffAt === undefined ? {} : { handedOffAt }) });
        const notice = backgroundNotice(facts, machine);
        if (notice !== undefined && this.gate.admit(notice, facts)) this.deps.notify(notice);
        else if (notice === undefined) this.gate.admit(undefined, facts);
      });
    } catch (error) {
      const message = messageOf(error);
      this.transition({ type: 'failed', message });
      if (message !== this.lastError) this.deps.notify({ title: 'codexSync', body: message, opens: 'settings' });
      this.lastError = message;
    }
  }

  private async planRequest(planId: string | undefined): Promise<PlanView> {
    if (planId !== undefined && this.plan?.id === planId) return this.plan.view;
    if (this.running !== undefined) throw plainError(ExitCode.runtimeError, 'a hand-off is running: its progress shows here, and a new plan can be made when it ends');
    return this.withRuntime(undefined, async (ctx) => {
      const kept = await this.keep(ctx, await this.plans.plan(ctx));
      const facts = planFacts(kept.result);
      if (kept.view.review.length > 0) this.transition({ type: 'review', planId: kept.id, facts, reasons: kept.view.review.map((r) => r.code) });
      else this.transition({ type: 'checked', facts, machine: kept.records[0]?.machineId });
      return kept.view;
    });
  }

  private async applyRequest(planId: string, choices: Array<{ path: string; choice: ConflictChoice }>): Promise<ApplyOutcome> {
    const kept = this.plan;
    if (kept === undefined || kept.id !== planId) {
      throw plainError(ExitCode.invalidInput, 'this plan is no longer the current one: nothing was written; make a new plan');
    }
    const chosen = new Map(choices.map((c) => [c.path, c.choice]));
    const undecided = kept.result.plan.conflicts.filter((c) => c.resolution === undefined && !chosen.has(c.path));
    if (undecided.length > 0) {
      throw plainError(
        ExitCode.conflict,
        `choose what to do with ${plural(undecided.length, 'conflicting file')} first (${undecided[0]?.path}${undecided.length > 1 ? ', …' : ''}): nothing was written`,
      );
    }
    return this.busy('apply', (token) =>
      this.withRuntime(token, async (ctx) => {
        const { outcome, event } = await this.applyKept(ctx, kept, chosen);
        return { value: outcome, event };
      }),
    );
  }

  /**
   * Applies a kept plan with the user's conflict choices in one sync, only if a fresh scan
   * finds exactly the plan the user saw; otherwise the fresh plan is kept for review.
   */
  private async applyKept(ctx: EngineContext, kept: KeptPlan, choices: ReadonlyMap<string, ConflictChoice>): Promise<{ outcome: ApplyOutcome; event: HandoffEvent }> {
    const result = await sync(ctx, {
      apply: true,
      choices,
      expectPlanFingerprint: kept.result.fingerprint,
      // The user saw the large-deletion warning in the plan they approved (the fingerprint holds it).
      acceptLargeDeletion: kept.result.deletionStop !== undefined,
    }).finally(() => this.warm.distrust()); // it wrote both trees and the base, or some of them
    this.plan = undefined;
    const outcome = syncOutcome(result, choices.size);
    if (result.status !== 'plan-changed') return { outcome, event: finishedEvent(outcome, result, kept.id, []) };
    const fresh = await this.keep(ctx, result);
    const reasons = fresh.view.review.map((r) => r.code);
    return { outcome, event: finishedEvent(outcome, result, fresh.id, reasons) };
  }

  private cancel(planId: string | undefined): ResponseOf<'cancel'> {
    if (this.running !== undefined) {
      this.running.abort();
      return { cancelled: 'running' };
    }
    if (planId !== undefined && this.plan?.id === planId) {
      this.plan = undefined;
      this.transition({ type: 'review-closed' });
      return { cancelled: 'plan' };
    }
    return { cancelled: 'nothing' };
  }

  private async restore(options: RestoreOptions): Promise<RestoreView> {
    const run = (ctx: EngineContext) => restore(ctx, options);
    if (!options.apply) return restoreView(await this.withRuntime(undefined, run));
    return this.busy('restore', (token) =>
      this.withRuntime(token, async (ctx) => {
        const view = restoreView(await run(ctx).finally(() => this.warm.distrust()));
        const event: HandoffEvent =
          view.failures.length === 0 ? { type: 'finished', outcome: 'restored', conflicts: 0, message: view.message } : { type: 'finished', outcome: 'partial', conflicts: 0, message: view.message };
        return { value: view, event };
      }),
    );
  }

  /** Runs one write at a time; the tray shows it busy, then the state the task ends in. */
  private async busy<T>(task: BusyTask, work: (token: Token) => Promise<{ value: T; event: HandoffEvent }>): Promise<T> {
    if (this.running !== undefined) throw plainError(ExitCode.runtimeError, 'codexSync is busy with another hand-off or restore: wait for it to end');
    const token: Token = new AbortController();
    this.running = token;
    this.transition({ type: 'start', task });
    try {
      const { value, event } = await work(token);
      this.running = undefined;
      // An applied plan is this machine's latest hand-off: the tray tells its time.
      this.transition(event.type === 'finished' && event.outcome === 'applied' ? { ...event, at: this.now() } : event);
      return value;
    } catch (error) {
      this.running = undefined;
      this.transition({ type: 'failed', message: messageOf(error) });
      throw error;
    }
  }

  /** One engine context per operation, its log lines flushed to disk when it ends. */
  private async withRuntime<T>(token: Token | undefined, work: (ctx: EngineContext, sink: ProgressSink) => Promise<T>): Promise<T> {
    this.requireConfigFile();
    const sink = new ProgressSink((event) => {
      this.deps.emit('progress', event);
      this.transition({ type: 'progress', done: event.done, total: event.total });
    });
    const { ctx, log } = appEngineContext(
      { configFile: this.deps.configFile, env: this.deps.env, confirmer: this.deps.confirmer, ...(this.deps.processes === undefined ? {} : { processes: this.deps.processes }), now: () => this.now() },
      (event) => sink.report(event),
      token?.signal,
    );
    try {
      return await work(ctx, sink);
    } finally {
      await closeQuietly(log);
      this.deps.emit('logs', { date: localDate(this.now()) });
    }
  }

  private async keep(ctx: EngineContext, result: PlanResult): Promise<KeptPlan> {
    const records = await otherMachinesRecords(ctx.config.paths.cloudRoot, ctx.config.settings.identity.machine_id);
    const id = randomUUID();
    const view = await planView(result, id, this.now(), records, reviewReasons(planFacts(result)), ctx.config.settings.backup.backup_before_overwrite);
    this.plan = { id, result, view, records };
    return this.plan;
  }

  private config(): LoadedConfig {
    this.requireConfigFile();
    return loadConfig(this.deps.configFile, this.deps.env);
  }

  private requireConfigFile(): void {
    if (!existsSync(this.deps.configFile)) {
      throw new CodexSyncError(ExitCode.invalidInput, { code: 'config-missing', path: this.deps.configFile });
    }
  }

  private transition(event: HandoffEvent): void {
    const next = nextState(this.current, event);
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
    this.deps.emit('status', this.status());
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }
}

async function closeQuietly(log: Logger): Promise<void> {
  try {
    await log.close();
  } catch {
    // a log that cannot be flushed must not turn a finished hand-off into a failure
  }
}
