import { Text } from 'ink';
import { memo } from 'react';
import type { Group, GroupBy, GroupRow, FindingRow, ListState, Row } from '../state/list.ts';
import { fit, printable, truncate } from '../layout.ts';
import { SEVERITIES } from '../types.ts';
import { SEVERITY_COLOR, SEVERITY_ICON } from './theme.ts';

export interface Columns {
  location: number;
  second: number;
}

const MAX_LOCATION = 40;
const MAX_SECOND = 36;

function location(row: FindingRow): string {
  return `${row.finding.file}:${row.finding.line}`;
}

/** secondColumn is what the grouping does not already say: the dependency, or the rule. */
export function secondColumn(row: FindingRow, groupBy: GroupBy): string {
  const f = row.finding;
  return groupBy === 'rule' ? f.dependency : f.rule;
}

/**
 * measureColumns sizes the columns over every finding the groups show, folded or not, so that they
 * shift neither while scrolling nor when a group folds (and are measured once per grouping).
 */
export function measureColumns(groups: readonly Group[], groupBy: GroupBy, width: number): Columns {
  let loc = 8;
  let second = 4;
  for (const group of groups) {
    for (const row of group.rows) {
      loc = Math.max(loc, row.finding.file.length + 1 + String(row.finding.line).length);
      second = Math.max(second, secondColumn(row, groupBy).length);
    }
  }
  loc = Math.min(loc, MAX_LOCATION, Math.floor(width * 0.3));
  second = Math.min(second, MAX_SECOND, Math.floor(width * 0.25));
  return { location: loc, second };
}

interface RowProps {
  row: Row;
  selected: boolean;
  width: number;
  columns: Columns;
  groupBy: GroupBy;
}

function GroupLine({ row, selected, width }: { row: GroupRow; selected: boolean; width: number }) {
  const caret = row.collapsed ? '▸' : '▾';
  const head = `${selected ? '›' : ' '} ${caret} ${row.label}`;
  const count = `  ${row.findings.length}`;
  const parts = SEVERITIES.filter((s) => row.counts[s] > 0).map((s) => ({ s, text: `  ${SEVERITY_ICON[s]} ${row.counts[s]}` }));
  const tail = count + parts.map((p) => p.text).join('');
  const headWidth = Math.max(1, Math.min(head.length, width - tail.length));
  const rest = Math.max(0, width - headWidth - tail.length);
  return (
    <Text inverse={selected} bold wrap="truncate-end">
      {fit(head, headWidth)}
      <Text dimColor={!selected}>{count}</Text>
      {parts.map((p) => <Text key={p.s} color={SEVERITY_COLOR[p.s]}>{p.text}</Text>)}
      {selected ? ' '.repeat(rest) : ''}
    </Text>
  );
}

function FindingLine({ row, selected, width, columns, groupBy }: RowProps & { row: FindingRow }) {
  const f = row.finding;
  const lead = selected ? '  › ' : '    ';
  const fixed = lead.length + 2 + columns.location + 2 + columns.second + 2;
  const message = Math.max(0, width - fixed);
  return (
    <Text inverse={selected} wrap="truncate-end">
      {lead}
      <Text color={SEVERITY_COLOR[f.severity]}>{SEVERITY_ICON[f.severity]} </Text>
      <Text color={selected ? undefined : 'blue'}>{fit(location(row), columns.location)}</Text>
      {'  '}
      <Text bold={selected}>{fit(secondColumn(row, groupBy), columns.second)}</Text>
      {'  '}
      {/* Only the selected row is padded: its highlight spans the width; others need no trailing spaces to draw. */}
      {(selected ? fit : truncate)(printable(f.message.replace(/\s+/g, ' ')), message)}
    </Text>
  );
}

const ListLine = memo(function ListLine(props: RowProps) {
  const { row } = props;
  return row.kind === 'group'
    ? <GroupLine row={row} selected={props.selected} width={props.width} />
    : <FindingLine {...props} row={row} />;
});

export interface FindingListProps {
  list: ListState;
  width: number;
  height: number;
  columns: Columns;
}

/** FindingList renders only the rows inside the viewport, padded to its height so the layout never jumps. */
export function FindingList({ list, width, height, columns }: FindingListProps) {
  const visible = list.rows.slice(list.top, list.top + height);
  const lines = visible.map((row, i) => (
    <ListLine key={row.key} row={row} selected={list.top + i === list.cursor} width={width} columns={columns} groupBy={list.groupBy} />
  ));
  if (list.rows.length === 0) {
    const empty = list.findings.length === 0 ? '  No findings: every module follows the policy.' : '  Nothing matches the filter and severity (/ to change the filter, s for severity).';
    lines.push(<Text key="empty" dimColor>{truncate(empty, width)}</Text>);
  }
  for (let i = lines.length; i < height; i++) lines.push(<Text key={`pad${i}`}> </Text>);
  return <>{lines}</>;
}
