import { Text } from 'ink';
import type { ReactNode } from 'react';
import { fit } from '../layout.ts';

export const HELP: Array<[string, string]> = [
  ['↑ ↓  j k', 'move'],
  ['PgUp PgDn', 'move a page'],
  ['g G  Home End', 'first / last row'],
  ['⏎  ← →', 'expand or collapse the group'],
  ['Tab', 'group by rule, module, dependency'],
  ['/', 'filter by words in rule, module, dependency or file'],
  ['s', 'cycle the minimum severity shown'],
  ['f', 'fix the selected finding or group (shows the diff first)'],
  ['i', 'ignore the finding with // modguard:ignore and a reason'],
  ['o', 'open the go.mod at the line in $EDITOR'],
  ['?', 'this help'],
  ['q  Esc', 'quit'],
];

/** Help lists every key of the review screen. */
export function Help({ width, height }: { width: number; height: number }) {
  const lines: ReactNode[] = [<Text key="title" bold>{fit(' Keys', width)}</Text>];
  for (const [key, what] of HELP) {
    lines.push(
      <Text key={`key:${key}`} wrap="truncate-end">
        <Text bold color="cyan">{fit(`   ${key}`, 18)}</Text>
        {fit(what, Math.max(0, width - 18))}
      </Text>,
    );
  }
  lines.push(<Text key="gap"> </Text>);
  lines.push(<Text key="note" dimColor wrap="truncate-end">{fit('   Fixes and suppressions are written atomically and refused when the file changed since it was read.', width)}</Text>);
  const out = lines.slice(0, height);
  for (let i = out.length; i < height; i++) out.push(<Text key={`p${i}`}> </Text>);
  return <>{out}</>;
}
