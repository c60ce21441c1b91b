// The fix confirmation's keys: apply, cancel, scroll the diff.
import { useInput } from 'ink';

export interface ConfirmInputOptions {
  isActive: boolean;
  /** Whether this screen has the keys right now, from the latest state (see ReviewApp). */
  isCurrent: () => boolean;
  page: number;
  onConfirm: () => void;
  onCancel: () => void;
  onScroll: (delta: number) => void;
}

export function useConfirmInput({ isActive, isCurrent, page, onConfirm, onCancel, onScroll }: ConfirmInputOptions): void {
  useInput((input, key) => {
    if (!isCurrent()) return;
    if (input === 'y' || input === 'Y' || key.return) return onConfirm();
    if (input === 'n' || input === 'N' || input === 'q' || key.escape) return onCancel();
    if (key.upArrow || input === 'k') return onScroll(-1);
    if (key.downArrow || input === 'j') return onScroll(1);
    if (key.pageUp) return onScroll(-page);
    if (key.pageDown || input === ' ') return onScroll(page);
    return undefined;
  }, { isActive });
}
