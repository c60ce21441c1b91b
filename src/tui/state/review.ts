// The review screen: loading, the list, and the overlays a key opens (filter, fix confirmation,
// suppression reason, help). Pure: services are called by the input hook and the app, which
// dispatch what came back.
import type { Finding } from '../../engine/types.ts';
import type { ActionOutcome, FixProposal, LoadProgress, ReviewData } from '../types.ts';
import { createListState, findingKey, listReducer, type ListAction, type ListState, type SeverityCounts } from './list.ts';
import { createPrompt, promptReducer, type PromptAction, type PromptState } from './prompt.ts';

export type Mode =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'filter'; prompt: PromptState; previous: string }
  | { kind: 'ignore'; prompt: PromptState; finding: Finding; error?: string }
  | { kind: 'confirm-fix'; proposal: FixProposal; scroll: number }
  | { kind: 'busy'; text: string };

export interface Status {
  kind: 'info' | 'success' | 'error';
  text: string;
}

export interface ReviewState {
  phase: 'loading' | 'ready' | 'failed';
  progress: LoadProgress;
  /** Why loading failed (phase 'failed'). */
  error?: string;
  /** A reload after a write is running; the list stays usable meanwhile. */
  reloading: boolean;
  repository: string;
  moduleCount: number;
  notices: string[];
  /** Findings by severity over the whole repository (not only what the filter shows). */
  totals: SeverityCounts;
  list: ListState;
  mode: Mode;
  status?: Status;
}

export type ReviewAction =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'loaded'; data: ReviewData }
  | { type: 'load-failed'; error: string }
  | { type: 'reload-started' }
  | { type: 'list'; action: ListAction }
  | { type: 'open-help' }
  | { type: 'close-overlay' }
  | { type: 'open-filter' }
  | { type: 'filter-edit'; action: PromptAction }
  | { type: 'filter-submit' }
  | { type: 'filter-cancel' }
  | { type: 'open-ignore'; finding: Finding }
  | { type: 'ignore-edit'; action: PromptAction }
  | { type: 'ignore-invalid'; error: string }
  | { type: 'propose-fix'; proposal: FixProposal }
  | { type: 'scroll-diff'; delta: number }
  | { type: 'busy'; text: string }
  | { type: 'outcome'; outcome: ActionOutcome }
  | { type: 'status'; status: Status | undefined };

export function countSeverities(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function createReviewState(listHeight = 10): ReviewState {
  return {
    phase: 'loading', progress: {}, reloading: false, repository: '', moduleCount: 0, notices: [],
    totals: { error: 0, warning: 0, info: 0 }, list: createListState([], listHeight), mode: { kind: 'list' },
  };
}

function withList(state: ReviewState, action: ListAction): ReviewState {
  const list = listReducer(state.list, action);
  if (list === state.list) return state;
  const totals = list.findings === state.list.findings ? state.totals : countSeverities(list.findings);
  return { ...state, list, totals };
}

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  switch (action.type) {
    case 'progress':
      return { ...state, progress: { ...state.progress, ...action.progress } };
    case 'loaded': {
      const { data } = action;
      const next = withList(state, { type: 'set-findings', findings: data.findings });
      return {
        ...next, phase: 'ready', reloading: false, repository: data.repository, moduleCount: data.moduleCount,
        notices: data.notices, totals: countSeverities(data.findings), error: undefined,
      };
    }
    case 'load-failed':
      if (state.phase === 'ready') {
        return { ...state, reloading: false, status: { kind: 'error', text: `reload failed: ${action.error}` } };
      }
      return { ...state, phase: 'failed', error: action.error };
    case 'reload-started':
      return { ...state, reloading: true };
    case 'list':
      return withList(state, action.action);
    case 'open-help':
      return { ...state, mode: { kind: 'help' } };
    case 'close-overlay':
      return state.mode.kind === 'list' ? state : { ...state, mode: { kind: 'list' } };
    case 'open-filter':
      return { ...state, mode: { kind: 'filter', prompt: createPrompt(state.list.filter), previous: state.list.filter }, status: undefined };
    case 'filter-edit': {
      if (state.mode.kind !== 'filter') return state;
      const prompt = promptReducer(state.mode.prompt, action.action);
      if (prompt === state.mode.prompt) return state;
      // The list follows the prompt as it is typed.
      const next = withList(state, { type: 'set-filter', filter: prompt.value });
      return { ...next, mode: { ...state.mode, prompt } };
    }
    case 'filter-submit':
      return state.mode.kind === 'filter' ? { ...state, mode: { kind: 'list' } } : state;
    case 'filter-cancel': {
      if (state.mode.kind !== 'filter') return state;
      const next = withList(state, { type: 'set-filter', filter: state.mode.previous });
      return { ...next, mode: { kind: 'list' } };
    }
    case 'open-ignore':
      return { ...state, mode: { kind: 'ignore', prompt: createPrompt(), finding: action.finding }, status: undefined };
    case 'ignore-edit': {
      if (state.mode.kind !== 'ignore') return state;
      const prompt = promptReducer(state.mode.prompt, action.action);
      return prompt === state.mode.prompt ? state : { ...state, mode: { kind: 'ignore', prompt, finding: state.mode.finding } };
    }
    case 'ignore-invalid':
      return state.mode.kind === 'ignore' ? { ...state, mode: { ...state.mode, error: action.error } } : state;
    case 'propose-fix':
      return { ...state, mode: { kind: 'confirm-fix', proposal: action.proposal, scroll: 0 }, status: undefined };
    case 'scroll-diff': {
      if (state.mode.kind !== 'confirm-fix') return state;
      const lines = state.mode.proposal.diff.split('\n').length;
      const scroll = Math.max(0, Math.min(state.mode.scroll + action.delta, Math.max(0, lines - 1)));
      return scroll === state.mode.scroll ? state : { ...state, mode: { ...state.mode, scroll } };
    }
    case 'busy':
      return { ...state, mode: { kind: 'busy', text: action.text } };
    case 'outcome': {
      const { outcome } = action;
      const next = withList(state, { type: 'remove-findings', keys: outcome.resolved.map(findingKey) });
      return { ...next, mode: { kind: 'list' }, status: { kind: outcome.ok ? 'success' : 'error', text: outcome.message } };
    }
    case 'status':
      return { ...state, status: action.status };
    default:
      return state;
  }
}
