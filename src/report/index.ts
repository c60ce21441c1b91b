// The drift report as a library: snapshot a checked repository, compare it with its history and
// render the three files. The command only adds loading, git and the file system around this.
import type { Snapshot } from './snapshot.ts';
import { diffSnapshots, mergeHistory, previousOf, dayOf, type SnapshotDelta } from './delta.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { jsonPieces } from '../util/json-pieces.ts';

export * from './snapshot.ts';
export * from './delta.ts';
export { suggestActions, type Action, type ActionKind } from './actions.ts';
export { renderHtml, esc, type HtmlInput } from './html.ts';
export { renderMarkdown, mdText, mdCode, type MarkdownOptions } from './markdown.ts';

export interface ReportFiles {
  /** report.json: the current snapshot, in pieces (that of a very large repository is not held whole). */
  json: Iterable<string>;
  html: string;
  markdown: string;
  delta: SnapshotDelta;
  /** The series the page shows, oldest first, current included (one snapshot per day). */
  history: Snapshot[];
}

/** reportJson is the text of report.json in pieces: `JSON.stringify(snapshot, null, 2)` and a newline. */
export function* reportJson(s: Snapshot): Generator<string> {
  yield* jsonPieces(s, 2);
  yield '\n';
}

/** renderReport compares current with the latest earlier day of history and renders the three files. */
export function renderReport(current: Snapshot, history: readonly Snapshot[], options: { title?: string } = {}): ReportFiles {
  const series = mergeHistory([...history.filter((s) => dayOf(s.date) !== dayOf(current.date)), current]);
  const delta = diffSnapshots(previousOf(series, current), current);
  return {
    json: { [Symbol.iterator]: () => reportJson(current) },
    html: renderHtml({ snapshot: current, delta, history: series, ...(options.title ? { title: options.title } : {}) }),
    markdown: renderMarkdown(current, delta),
    delta,
    history: series,
  };
}
