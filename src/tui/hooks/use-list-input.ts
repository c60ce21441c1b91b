// The list screen's keys: the only place they are read.
import { useInput, type Key } from 'ink';
import type { Dispatch } from 'react';
import type { ReviewAction, ReviewState } from '../state/review.ts';
import type { ListAction } from '../state/list.ts';
import { selectedRow } from '../state/list.ts';
import type { ReviewActions } from '../actions.ts';
import type { Finding } from '../../engine/types.ts';

export interface ListInputOptions {
  /** The list is the rendered screen. */
  isActive: boolean;
  /** Whether the list has the keys right now, from the latest state (see ReviewApp). */
  isCurrent: () => boolean;
  /** The state including actions dispatched but not yet rendered (keys can arrive several at once). */
  getState: () => ReviewState;
  dispatch: Dispatch<ReviewAction>;
  actions: ReviewActions;
  onQuit: () => void;
  onOpenEditor: (finding: Finding) => void;
}

export function useListInput({ isActive, isCurrent, getState, dispatch, actions, onQuit, onOpenEditor }: ListInputOptions): void {
  const handle = (input: string, key: Key): void => {
    if (!isCurrent()) return;
    const list = (action: ListAction) => dispatch({ type: 'list', action });
    if (getState().status) dispatch({ type: 'status', status: undefined });
    if (input === 'q' || key.escape) return onQuit();
    if (key.upArrow || input === 'k') return list({ type: 'move', delta: -1 });
    if (key.downArrow || input === 'j') return list({ type: 'move', delta: 1 });
    if (key.pageUp || (key.ctrl && input === 'u')) return list({ type: 'page', direction: -1 });
    if (key.pageDown || (key.ctrl && input === 'd')) return list({ type: 'page', direction: 1 });
    if (key.home || input === 'g') return list({ type: 'first' });
    if (key.end || input === 'G') return list({ type: 'last' });
    if (key.return || input === ' ') return list({ type: 'toggle-group' });
    if (key.leftArrow || input === 'h') return list({ type: 'collapse' });
    if (key.rightArrow || input === 'l') return list({ type: 'expand' });
    if (key.tab) return list({ type: 'cycle-group' });
    if (input === 's') return list({ type: 'cycle-severity' });
    if (input === '/') return dispatch({ type: 'open-filter' });
    if (input === '?') return dispatch({ type: 'open-help' });
    if (input === 'f') return actions.proposeFix();
    if (input === 'i') return actions.startIgnore();
    if (input === 'o') {
      const row = selectedRow(getState().list);
      if (row?.kind === 'finding') return onOpenEditor(row.finding);
      const first = row?.kind === 'group' ? row.findings[0] : undefined;
      if (first) return onOpenEditor(first);
    }
    return undefined;
  };
  useInput((input, key) => {
    // Keys typed faster than a frame (or held down) arrive as one string: take them one by one.
    if (input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
      for (const ch of input) {
        if (!isCurrent()) break;
        handle(ch, key);
      }
      return;
    }
    handle(input, key);
  }, { isActive });
}
