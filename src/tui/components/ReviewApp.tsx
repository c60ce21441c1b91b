import { Box, useApp, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { Finding } from '../../engine/types.ts';
import { createActions } from '../actions.ts';
import { computeLayout, type ScreenSize } from '../layout.ts';
import { listReducer, selectedRow } from '../state/list.ts';
import { createReviewState, reviewReducer, type ReviewAction, type ReviewState } from '../state/review.ts';
import type { FindingDetail, ReviewServices } from '../types.ts';
import { useListInput } from '../hooks/use-list-input.ts';
import { usePromptInput } from '../hooks/use-prompt-input.ts';
import { useConfirmInput } from '../hooks/use-confirm-input.ts';
import { useDismissInput } from '../hooks/use-dismiss-input.ts';
import { Header } from './Header.tsx';
import { FindingList, measureColumns } from './FindingList.tsx';
import { DetailPane } from './DetailPane.tsx';
import { Footer } from './Footer.tsx';
import { FixConfirm } from './FixConfirm.tsx';
import { Help } from './Help.tsx';
import { Loading } from './Loading.tsx';

/** ExitRequest is why the screen closed: to quit, or to hand the terminal to an editor and come back. */
export type ExitRequest = { kind: 'quit' } | { kind: 'failed'; error: string } | { kind: 'edit'; file: string; line: number };

export interface ReviewAppProps {
  services: ReviewServices;
  /** State to resume with (after an editor ran); a fresh load otherwise. */
  initialState?: ReviewState;
  /** Reload the repository when mounted with `initialState` (the editor may have changed files). */
  reloadOnMount?: boolean;
  /** A fixed size instead of the terminal's (tests). */
  size?: ScreenSize;
  onExit: (request: ExitRequest) => void;
  /** Close the screen when the first load fails instead of showing the error. */
  exitOnLoadFailure?: boolean;
  /** Receives the latest state, so the caller can resume from it. */
  stateRef?: { current: ReviewState | undefined };
}

function useTerminalSize(fixed: ScreenSize | undefined): ScreenSize {
  const { stdout } = useStdout();
  const read = (): ScreenSize => ({ columns: stdout.columns, rows: stdout.rows });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return undefined;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout, fixed]);
  return fixed ?? size;
}

function describeSafely(services: ReviewServices, finding: Finding): FindingDetail {
  try {
    return services.describe(finding);
  } catch (e) {
    return { excerpt: [], fix: [`(details unavailable: ${(e as Error).message})`], commands: [] };
  }
}

/** ReviewApp is the review screen: it owns the state, wires the input hooks to it and lays out the views. */
export function ReviewApp({ services, initialState, reloadOnMount, size, onExit, stateRef, exitOnLoadFailure }: ReviewAppProps) {
  const app = useApp();
  const layout = computeLayout(useTerminalSize(size));
  const [state, reactDispatch] = useReducer(reviewReducer, undefined, () => initialState ?? createReviewState(layout.list));
  // `latest` runs ahead of rendering: it applies each action at once, so keys that arrive together
  // (typed fast, held down) each see the effect of the previous one.
  const latest = useRef(state);
  const rendered = useRef(state);
  if (rendered.current !== state) {
    rendered.current = state;
    latest.current = state;
  }
  const dispatch = useCallback((action: ReviewAction) => {
    latest.current = reviewReducer(latest.current, action);
    reactDispatch(action);
  }, []);
  if (stateRef) stateRef.current = state;
  const actions = useMemo(() => createActions(() => latest.current, dispatch, services), [services, dispatch]);

  const exit = useCallback((request: ExitRequest) => {
    onExit(request);
    app.exit();
  }, [onExit, app]);

  useEffect(() => {
    if (!initialState) void actions.load();
    else if (reloadOnMount) void actions.reload();
  }, []);

  // With a caller to report it (the command line), a failed first load closes the screen.
  useEffect(() => {
    if (state.phase === 'failed' && exitOnLoadFailure) exit({ kind: 'failed', error: state.error ?? '' });
  }, [state.phase]);

  useEffect(() => {
    if (state.list.height !== layout.list) dispatch({ type: 'list', action: { type: 'resize', height: layout.list } });
  }, [layout.list, state.list.height]);

  // Draw with the new height right away on a resize instead of one frame late.
  const list = state.list.height === layout.list ? state.list : listReducer(state.list, { type: 'resize', height: layout.list });
  const row = selectedRow(list);
  const detail = useMemo(() => (row?.kind === 'finding' ? describeSafely(services, row.finding) : undefined), [row, services]);
  const columns = useMemo(() => measureColumns(list.groups, list.groupBy, layout.width), [list.groups, list.groupBy, layout.width]);

  const { mode, phase } = state;
  const ready = phase === 'ready';
  // Each screen's hook listens while its screen is rendered (isActive). Several keys can arrive in one
  // chunk, before the render that switches screens: each hook also asks the latest state whether it
  // is still current, so a key is never handled by a screen that has already closed.
  const current = (kind: string) => () => latest.current.phase === 'ready' && latest.current.mode.kind === kind;
  const latestMode = () => latest.current.mode;
  useDismissInput({ isActive: !ready, isCurrent: () => latest.current.phase !== 'ready', keys: ['q'], onDismiss: () => exit({ kind: 'quit' }) });
  useListInput({
    isActive: ready && mode.kind === 'list', isCurrent: current('list'), getState: () => latest.current, dispatch, actions,
    onQuit: () => exit({ kind: 'quit' }),
    onOpenEditor: (f) => exit({ kind: 'edit', file: f.file, line: f.line }),
  });
  usePromptInput({
    isActive: ready && (mode.kind === 'filter' || mode.kind === 'ignore'), isCurrent: () => current('filter')() || current('ignore')(),
    onEdit: (action) => dispatch(latestMode().kind === 'filter' ? { type: 'filter-edit', action } : { type: 'ignore-edit', action }),
    onSubmit: () => {
      const m = latestMode();
      if (m.kind === 'filter') dispatch({ type: 'filter-submit' });
      else if (m.kind === 'ignore') void actions.submitIgnore(m.finding, m.prompt.value);
    },
    onCancel: () => dispatch(latestMode().kind === 'filter' ? { type: 'filter-cancel' } : { type: 'close-overlay' }),
  });
  useConfirmInput({
    isActive: ready && mode.kind === 'confirm-fix', isCurrent: current('confirm-fix'),
    page: Math.max(1, layout.list + layout.detail - 3),
    onConfirm: () => { const m = latestMode(); if (m.kind === 'confirm-fix') void actions.applyFix(m.proposal); },
    onCancel: () => dispatch({ type: 'close-overlay' }),
    onScroll: (delta) => dispatch({ type: 'scroll-diff', delta }),
  });
  useDismissInput({ isActive: ready && mode.kind === 'help', isCurrent: current('help'), onDismiss: () => dispatch({ type: 'close-overlay' }) });

  if (!ready) {
    return (
      <Box flexDirection="column" width={layout.width}>
        <Loading progress={state.progress} width={layout.width} error={state.error} />
      </Box>
    );
  }
  const bodyHeight = layout.list + layout.detail;
  let body;
  if (mode.kind === 'help') body = <Help width={layout.width} height={bodyHeight} />;
  else if (mode.kind === 'confirm-fix') body = <FixConfirm proposal={mode.proposal} scroll={mode.scroll} width={layout.width} height={bodyHeight} />;
  else {
    body = (
      <>
        <FindingList list={list} width={layout.width} height={layout.list} columns={columns} />
        <DetailPane row={row} detail={detail} width={layout.width} height={layout.detail}
          position={list.rows.length > 0 ? `${list.cursor + 1}/${list.rows.length}` : ''} />
      </>
    );
  }
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height} overflow="hidden">
      <Header state={state} width={layout.width} />
      {body}
      <Footer state={state} width={layout.width} />
    </Box>
  );
}
