import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { Row } from '../state/list.ts';
import type { FindingDetail } from '../types.ts';
import { fit, printable, truncate, wrap } from '../layout.ts';
import { SEVERITY_COLOR, SEVERITY_ICON, SEVERITY_PLURAL, plural } from './theme.ts';
import { SEVERITIES } from '../types.ts';

export interface DetailPaneProps {
  row: Row | undefined;
  detail: FindingDetail | undefined;
  width: number;
  /** Lines including the separator. */
  height: number;
  /** `12/340`, shown in the separator. */
  position: string;
}

const LABEL = 8;

function labelled(key: string, label: string, text: string, width: number, color?: string): ReactNode {
  return (
    <Text key={key} wrap="truncate-end">
      <Text dimColor>{fit(`  ${label}`, LABEL + 2)}</Text>
      <Text color={color}>{truncate(printable(text), Math.max(0, width - LABEL - 2))}</Text>
    </Text>
  );
}

/** detailLines lays out what is known about the selected row, most important first, within `budget` lines. */
function detailLines(row: Row, detail: FindingDetail | undefined, width: number, budget: number): ReactNode[] {
  if (row.kind === 'group') {
    const counts = SEVERITIES.filter((s) => row.counts[s] > 0)
      .map((s) => `${SEVERITY_ICON[s]} ${plural(row.counts[s], SEVERITY_PLURAL[s])}`).join('  ');
    return [
      <Text key="t" bold wrap="truncate-end">{truncate(`  ${row.label}`, width)}</Text>,
      <Text key="c" wrap="truncate-end">{truncate(`  ${plural(row.findings.length, ['finding', 'findings'])}: ${counts}`, width)}</Text>,
      <Text key="h" dimColor wrap="truncate-end">{truncate(`  Enter ${row.collapsed ? 'expands' : 'collapses'} the group · f fixes every fixable finding in it`, width)}</Text>,
    ].slice(0, budget);
  }
  const f = row.finding;
  const head = (
    <Text key="head" wrap="truncate-end">
      <Text color={SEVERITY_COLOR[f.severity]} bold>{`  ${SEVERITY_ICON[f.severity]} ${f.severity}`}</Text>
      <Text bold>{`  ${f.rule}`}</Text>
      <Text color="blue">{truncate(`  ${f.file}:${f.line}:${f.column}`, Math.max(0, width - f.severity.length - f.rule.length - 6))}</Text>
    </Text>
  );
  // When room is short, the message keeps at least one line, then the fix and its command come
  // before the anchor and the graph path; the excerpt takes what is left. Shown in reading order.
  const wrapped = wrap(printable(f.message), Math.max(10, width - 4));
  const message = wrapped.slice(0, Math.max(1, Math.min(3, budget - 3)))
    .map((l, i) => <Text key={`m${i}`} wrap="truncate-end">{`  ${l}`}</Text>);
  const facts: Array<{ priority: number; node: ReactNode }> = [];
  if (detail?.anchor) facts.push({ priority: 3, node: labelled('anchor', 'anchor', detail.anchor, width) });
  if (detail?.why) facts.push({ priority: 4, node: labelled('why', 'why', detail.why, width) });
  detail?.fix.forEach((l, i) => facts.push({ priority: i === 0 ? 1 : 5, node: labelled(`fix${i}`, i === 0 ? 'fix' : '', l, width, 'green') }));
  detail?.commands.forEach((l, i) => facts.push({ priority: i === 0 ? 2 : 6, node: labelled(`run${i}`, i === 0 ? 'run' : '', l, width, 'cyan') }));
  let room = Math.max(0, budget - 1 - message.length);
  const kept = new Set([...facts].sort((a, b) => a.priority - b.priority).slice(0, room));
  const shownFacts = facts.filter((x) => kept.has(x)).map((x) => x.node);
  room -= shownFacts.length;
  let excerpt = detail?.excerpt ?? [];
  if (excerpt.length > room) {
    const target = Math.max(0, excerpt.findIndex((l) => l.isTarget));
    const start = Math.max(0, Math.min(target - Math.floor((room - 1) / 2), excerpt.length - room));
    excerpt = room > 0 ? excerpt.slice(start, start + room) : [];
  }
  const numWidth = Math.max(3, ...excerpt.map((l) => String(l.line).length));
  const code = excerpt.map((l) => (
    <Text key={`x${l.line}`} wrap="truncate-end" bold={l.isTarget}>
      <Text color={l.isTarget ? 'yellow' : undefined} dimColor={!l.isTarget}>{`  ${l.isTarget ? '›' : ' '} ${String(l.line).padStart(numWidth)} │ `}</Text>
      <Text color={l.isTarget ? 'yellow' : undefined}>{truncate(printable(l.text), Math.max(0, width - numWidth - 7))}</Text>
    </Text>
  ));
  return [head, ...message, ...code, ...shownFacts].slice(0, budget);
}

/** DetailPane shows the selected finding in full (or a summary of the selected group). */
export function DetailPane({ row, detail, width, height, position }: DetailPaneProps) {
  if (height <= 0) return null;
  const title = ` details `;
  const pos = position ? ` ${position} ` : '';
  const rule = '─'.repeat(Math.max(0, width - title.length - pos.length - 2));
  const lines = row ? detailLines(row, detail, width, height - 1) : [];
  const pad: ReactNode[] = [];
  for (let i = lines.length; i < height - 1; i++) pad.push(<Text key={`p${i}`}> </Text>);
  return (
    <>
      <Text dimColor wrap="truncate-end">{`──${title}${rule}${pos}`}</Text>
      {lines}
      {pad}
    </>
  );
}
