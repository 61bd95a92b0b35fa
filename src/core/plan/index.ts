export { buildPlan, type ContentProbe, fileProbe } from './build.ts';
export { type ChoiceContext, choicesFor, settleByChoices, unsettledConflicts } from './choices.ts';
export { previewConflict } from './conflictPreview.ts';
export { type Rules } from './decide.ts';
export { lastDateOnly } from './sessionMode.ts';
export { type Action, type Conflict, type ConflictChoice, type GuardNote, type Notice, type Plan, type TerminationRequest, type ThreadChange, type ThreadMove, type Waiting } from './types.ts';
export { type MarkChange, type Marks, type MarksPlan, planMarks } from './threadMarks.ts';
export { buildPlanAround, findQuiet, type QuietFacts, type QuietPaths, updateQuiet } from './quiet.ts';
