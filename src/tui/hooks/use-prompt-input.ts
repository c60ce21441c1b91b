// A one-line prompt's keys (the filter and the suppression reason).
import { useInput } from 'ink';
import type { PromptAction } from '../state/prompt.ts';

export interface PromptInputOptions {
  isActive: boolean;
  /** Whether this screen has the keys right now, from the latest state (see ReviewApp). */
  isCurrent: () => boolean;
  onEdit: (action: PromptAction) => void;
  onSubmit: () => void;
  onCancel: () => void;
}

export function usePromptInput({ isActive, isCurrent, onEdit, onSubmit, onCancel }: PromptInputOptions): void {
  useInput((input, key) => {
    if (!isCurrent()) return;
    if (key.return) return onSubmit();
    if (key.escape) return onCancel();
    // Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`: both erase backwards.
    if (key.backspace || key.delete) return onEdit({ type: 'backspace' });
    if (key.leftArrow) return onEdit({ type: 'left' });
    if (key.rightArrow) return onEdit({ type: 'right' });
    if (key.home || (key.ctrl && input === 'a')) return onEdit({ type: 'home' });
    if (key.end || (key.ctrl && input === 'e')) return onEdit({ type: 'end' });
    if (key.ctrl && input === 'u') return onEdit({ type: 'clear' });
    if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
    if (input) onEdit({ type: 'insert', text: input });
    return undefined;
  }, { isActive });
}
