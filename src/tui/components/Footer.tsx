import { Text } from 'ink';
import type { ReviewState } from '../state/review.ts';
import { truncate } from '../layout.ts';

/** The list's keys, most useful first; the footer shows as many as fit, and always help and quit. */
export const LIST_KEYS: ReadonlyArray<[string, string]> = [
  ['↑↓', 'move'], ['f', 'fix'], ['i', 'ignore'], ['o', 'edit'], ['/', 'filter'], ['⏎', 'fold'], ['Tab', 'group'],
  ['s', 'severity'], ['PgUp/PgDn', 'page'], ['g/G', 'ends'],
];
const ALWAYS: ReadonlyArray<[string, string]> = [['?', 'help'], ['q', 'quit']];

/** keysLine joins as many keys as fit in `width`, help and quit always last. */
export function keysLine(width: number): string {
  const join = (keys: ReadonlyArray<[string, string]>) => keys.map(([k, what]) => `${k} ${what}`).join(' · ');
  const chosen: Array<[string, string]> = [];
  for (const k of LIST_KEYS) {
    if (join([...chosen, k, ...ALWAYS]).length > width) break;
    chosen.push(k);
  }
  return join([...chosen, ...ALWAYS]);
}

function Prompt({ label, value, cursor, hint, width, error }: { label: string; value: string; cursor: number; hint: string; width: number; error?: string }) {
  const tail = error ? `  ${error}` : `  ${hint}`;
  const room = Math.max(1, width - label.length - tail.length - 1);
  // Keep the cursor in sight when the value is longer than the room.
  const start = Math.max(0, cursor - room + 1);
  const shown = value.slice(start, start + room);
  const at = cursor - start;
  return (
    <Text wrap="truncate-end">
      <Text bold color="cyan">{label}</Text>
      {shown.slice(0, at)}
      <Text inverse>{shown[at] ?? ' '}</Text>
      {shown.slice(at + 1)}
      <Text color={error ? 'red' : undefined} dimColor={!error}>{truncate(tail, Math.max(0, width - label.length - shown.length - 1))}</Text>
    </Text>
  );
}

/** Footer shows the keys of the current screen, the prompt being typed, or the outcome of the last action. */
export function Footer({ state, width }: { state: ReviewState; width: number }) {
  const { mode, status } = state;
  if (mode.kind === 'filter') {
    return <Prompt label="/ " value={mode.prompt.value} cursor={mode.prompt.cursor} hint="⏎ keep · Esc cancel · words match rule, module, dependency, file" width={width} />;
  }
  if (mode.kind === 'ignore') {
    const f = mode.finding;
    return <Prompt label={`reason to ignore ${f.rule} at ${f.file}:${f.line}: `} value={mode.prompt.value} cursor={mode.prompt.cursor} hint="⏎ write · Esc cancel" width={width} error={mode.error} />;
  }
  if (mode.kind === 'confirm-fix') return <Text bold wrap="truncate-end">{truncate('y apply · n/Esc cancel · ↑↓ PgUp/PgDn scroll the diff', width)}</Text>;
  if (mode.kind === 'help') return <Text dimColor wrap="truncate-end">{truncate('any key closes the help', width)}</Text>;
  if (mode.kind === 'busy') return <Text color="magenta" wrap="truncate-end">{truncate(mode.text, width)}</Text>;
  if (status) {
    const color = status.kind === 'error' ? 'red' : status.kind === 'success' ? 'green' : undefined;
    return <Text color={color} wrap="truncate-end">{truncate(status.text, width)}</Text>;
  }
  return <Text dimColor wrap="truncate-end">{truncate(keysLine(width), width)}</Text>;
}
