// Screens that wait for one key: the help (any key closes it) and the loading or failed screen (q quits).
import { useInput } from 'ink';

export interface DismissInputOptions {
  isActive: boolean;
  /** Whether this screen has the keys right now, from the latest state (see ReviewApp). */
  isCurrent: () => boolean;
  /** Only these inputs dismiss; any key when undefined. Esc always dismisses. */
  keys?: readonly string[];
  onDismiss: () => void;
}

export function useDismissInput({ isActive, isCurrent, keys, onDismiss }: DismissInputOptions): void {
  useInput((input, key) => {
    if (!isCurrent()) return;
    if (key.escape || keys === undefined || keys.includes(input)) onDismiss();
  }, { isActive });
}
