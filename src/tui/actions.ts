// What the keys set in motion beyond the reducer: asking the services for plans and writes, then
// dispatching what came back. Kept out of the components so the flow is tested with fake services.
import type { Dispatch } from 'react';
import type { Finding } from '../engine/types.ts';
import type { ReviewAction, ReviewState } from './state/review.ts';
import { selectedFindings, selectedRow } from './state/list.ts';
import type { FixProposal, ReviewServices } from './types.ts';

export interface ReviewActions {
  load(): Promise<void>;
  reload(): Promise<void>;
  proposeFix(): void;
  applyFix(proposal: FixProposal): Promise<void>;
  startIgnore(): void;
  submitIgnore(finding: Finding, reason: string): Promise<void>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** cleanReason keeps a suppression reason on one line and free of comment markers that would end it early. */
export function cleanReason(reason: string): string {
  return reason.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function createActions(getState: () => ReviewState, dispatch: Dispatch<ReviewAction>, services: ReviewServices): ReviewActions {
  const reload = async (): Promise<void> => {
    dispatch({ type: 'reload-started' });
    try {
      dispatch({ type: 'loaded', data: await services.load(() => undefined) });
    } catch (e) {
      dispatch({ type: 'load-failed', error: message(e) });
    }
  };
  return {
    async load() {
      try {
        const data = await services.load((progress) => dispatch({ type: 'progress', progress }));
        dispatch({ type: 'loaded', data });
      } catch (e) {
        dispatch({ type: 'load-failed', error: message(e) });
      }
    },
    reload,
    proposeFix() {
      const state = getState();
      const row = selectedRow(state.list);
      const findings = selectedFindings(state.list);
      if (!row || findings.length === 0) return;
      const title = row.kind === 'group'
        ? `${state.list.groupBy} ${row.label} (${findings.length} finding${findings.length === 1 ? '' : 's'})`
        : `${row.finding.rule} at ${row.finding.file}:${row.finding.line}`;
      let proposal: FixProposal;
      try {
        proposal = services.planFix(findings, title);
      } catch (e) {
        dispatch({ type: 'status', status: { kind: 'error', text: `cannot plan the fix: ${message(e)}` } });
        return;
      }
      if (proposal.patches.length === 0) {
        const reason = proposal.skipped[0]?.reason;
        const text = reason
          ? `No automatic fix: ${reason}${proposal.skipped.length > 1 ? ` (and ${proposal.skipped.length - 1} more)` : ''}`
          : 'Nothing to fix: the file already has what the fix would write.';
        dispatch({ type: 'status', status: { kind: 'error', text } });
        return;
      }
      dispatch({ type: 'propose-fix', proposal });
    },
    async applyFix(proposal) {
      dispatch({ type: 'busy', text: `writing ${proposal.patches.map((p) => p.file).join(', ')} …` });
      try {
        dispatch({ type: 'outcome', outcome: await services.applyFix(proposal) });
      } catch (e) {
        dispatch({ type: 'outcome', outcome: { ok: false, message: `fix failed: ${message(e)}`, resolved: [] } });
      }
      // What was read before the write is stale now (ours, or someone else's when refused): reload,
      // so counts and the next plan come from the files as they are.
      await reload();
    },
    startIgnore() {
      const row = selectedRow(getState().list);
      if (!row) return;
      if (row.kind === 'group') {
        dispatch({ type: 'status', status: { kind: 'error', text: 'Select one finding to ignore it (a suppression names one line).' } });
        return;
      }
      dispatch({ type: 'open-ignore', finding: row.finding });
    },
    async submitIgnore(finding, reason) {
      const clean = cleanReason(reason);
      if (clean === '') {
        dispatch({ type: 'ignore-invalid', error: 'a reason is required' });
        return;
      }
      dispatch({ type: 'busy', text: `writing the suppression into ${finding.file} …` });
      try {
        dispatch({ type: 'outcome', outcome: await services.addIgnore(finding, clean) });
      } catch (e) {
        dispatch({ type: 'outcome', outcome: { ok: false, message: `suppression failed: ${message(e)}`, resolved: [] } });
      }
      await reload();
    },
  };
}
