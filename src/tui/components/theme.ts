// Colours and symbols of the review screen, in one place.
import type { Severity } from '../../engine/types.ts';

export const SEVERITY_COLOR: Record<Severity, string> = { error: 'red', warning: 'yellow', info: 'cyan' };
export const SEVERITY_ICON: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };
export const SEVERITY_PLURAL: Record<Severity, [string, string]> = {
  error: ['error', 'errors'], warning: ['warning', 'warnings'], info: ['info', 'info'],
};

export function plural(n: number, words: [string, string]): string {
  return `${n} ${n === 1 ? words[0] : words[1]}`;
}
