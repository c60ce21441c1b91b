import { Text } from 'ink';
import { useEffect, useState } from 'react';
import type { LoadProgress } from '../types.ts';
import { truncate } from '../layout.ts';

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function progressText(p: LoadProgress): string {
  const parts: string[] = [];
  if (p.modulesParsed !== undefined) parts.push(p.modulesTotal ? `${p.modulesParsed}/${p.modulesTotal} modules parsed` : `${p.modulesParsed} modules parsed`);
  if (p.graphsRead !== undefined) parts.push(`${p.graphsRead} graphs read`);
  return [p.phase ?? 'loading the repository', ...parts].join(' · ');
}

/** Loading is the progress line shown until the repository is loaded and checked. */
export function Loading({ progress, width, error }: { progress: LoadProgress; width: number; error?: string }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (error) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), 120);
    return () => clearInterval(timer);
  }, [error]);
  if (error) {
    return (
      <>
        <Text color="red" bold>{truncate(`modguard review: ${error}`, width)}</Text>
        <Text dimColor>press q to quit</Text>
      </>
    );
  }
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{SPINNER[tick % SPINNER.length]} </Text>
      {truncate(progressText(progress), width - 2)}
    </Text>
  );
}
