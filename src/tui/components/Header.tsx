import { Text } from 'ink';
import type { ReviewState } from '../state/review.ts';
import { truncate } from '../layout.ts';
import { SEVERITY_COLOR, SEVERITY_ICON, SEVERITY_PLURAL, plural } from './theme.ts';
import { SEVERITIES } from '../types.ts';

export interface HeaderProps {
  state: ReviewState;
  width: number;
}

/** Header shows the repository, its size and findings by severity, then the current view of the list. */
export function Header({ state, width }: HeaderProps) {
  const { list, totals } = state;
  const title = ' modguard review ';
  const counts = SEVERITIES.map((s) => `${SEVERITY_ICON[s]} ${plural(totals[s], SEVERITY_PLURAL[s])}`);
  const modules = `${plural(state.moduleCount, ['module', 'modules'])}`;
  const reloading = state.reloading ? '  ⟳ updating' : '';
  const countsText = counts.join('  ');
  const repoWidth = Math.max(8, width - title.length - modules.length - countsText.length - reloading.length - 8);
  const total = list.findings.length;
  const view = [
    `grouped by ${list.groupBy}`,
    `severity ≥ ${list.minSeverity}`,
    list.filter ? `filter "${list.filter}"` : '',
    list.shown === total ? `${plural(total, ['finding', 'findings'])}` : `${list.shown} of ${total} findings shown`,
  ].filter(Boolean).join(' · ');
  return (
    <>
      <Text wrap="truncate-end">
        <Text bold inverse>{title}</Text>
        <Text> </Text>
        <Text bold>{truncate(state.repository, repoWidth)}</Text>
        <Text dimColor>{' · '}</Text>
        <Text>{modules}</Text>
        <Text dimColor>{' · '}</Text>
        {SEVERITIES.map((s, i) => (
          <Text key={s} color={totals[s] > 0 ? SEVERITY_COLOR[s] : undefined} dimColor={totals[s] === 0}>
            {(i > 0 ? '  ' : '') + counts[i]}
          </Text>
        ))}
        <Text color="magenta">{reloading}</Text>
      </Text>
      <Text dimColor wrap="truncate-end">{truncate(` ${view}`, width)}</Text>
    </>
  );
}
