import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { FixProposal } from '../types.ts';
import { printable, truncate } from '../layout.ts';

export interface FixConfirmProps {
  proposal: FixProposal;
  scroll: number;
  width: number;
  height: number;
}

function diffColor(line: string): string | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return 'white';
  if (line.startsWith('+')) return 'green';
  if (line.startsWith('-')) return 'red';
  if (line.startsWith('@@')) return 'cyan';
  return undefined;
}

/** FixConfirm shows what a fix would write, as a diff, before anything is written. */
export function FixConfirm({ proposal, scroll, width, height }: FixConfirmProps) {
  const files = proposal.patches.length;
  const edits = proposal.patches.reduce((n, p) => n + p.edits, 0);
  const title = `Apply fix: ${proposal.title} — ${edits} edit${edits === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}?`;
  const body: Array<{ text: string; color?: string; dim?: boolean }> = [];
  for (const line of proposal.diff.replace(/\n$/, '').split('\n')) body.push({ text: printable(line), color: diffColor(line) });
  if (proposal.skipped.length > 0) {
    body.push({ text: '' });
    body.push({ text: `Not fixed automatically (${proposal.skipped.length}):`, color: 'yellow' });
    for (const s of proposal.skipped) body.push({ text: `  ${s.finding.file}:${s.finding.line} ${s.finding.rule}: ${printable(s.reason)}`, dim: true });
  }
  if (proposal.followUp.length > 0) {
    body.push({ text: '' });
    body.push({ text: 'Then complete go.sum:', color: 'yellow' });
    for (const c of proposal.followUp) body.push({ text: `  ${c}`, color: 'cyan' });
  }
  const room = Math.max(0, height - 2);
  const shown = body.slice(scroll, scroll + room);
  const more = body.length - scroll - shown.length;
  const lines: ReactNode[] = shown.map((l, i) => (
    <Text key={i} color={l.color} dimColor={l.dim} wrap="truncate-end">{truncate(`  ${l.text}`, width)}</Text>
  ));
  for (let i = lines.length; i < room; i++) lines.push(<Text key={`p${i}`}> </Text>);
  return (
    <>
      <Text bold color="yellow" wrap="truncate-end">{truncate(` ${title}`, width)}</Text>
      {lines}
      <Text dimColor wrap="truncate-end">{truncate(more > 0 ? `  … ${more} more line${more === 1 ? '' : 's'} (↓ to scroll)` : scroll > 0 ? '  (↑ to scroll back)' : '', width)}</Text>
    </>
  );
}
