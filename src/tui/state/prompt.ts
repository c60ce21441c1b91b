// A one-line text prompt (the filter and the suppression reason): value and cursor, edited by key.
export interface PromptState {
  value: string;
  /** Cursor position in code units, 0..value.length. */
  cursor: number;
}

export type PromptAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'clear' };

export function createPrompt(value = ''): PromptState {
  return { value, cursor: value.length };
}

/** promptReducer applies one edit; control characters in pasted text are dropped so the value stays one line. */
export function promptReducer(state: PromptState, action: PromptAction): PromptState {
  const { value, cursor } = state;
  switch (action.type) {
    case 'insert': {
      const text = action.text.replace(/[\u0000-\u001f\u007f]/g, '');
      if (text === '') return state;
      return { value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length };
    }
    case 'backspace':
      if (cursor === 0) return state;
      return { value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 };
    case 'delete':
      if (cursor === value.length) return state;
      return { value: value.slice(0, cursor) + value.slice(cursor + 1), cursor };
    case 'left':
      return cursor === 0 ? state : { value, cursor: cursor - 1 };
    case 'right':
      return cursor === value.length ? state : { value, cursor: cursor + 1 };
    case 'home':
      return cursor === 0 ? state : { value, cursor: 0 };
    case 'end':
      return cursor === value.length ? state : { value, cursor: value.length };
    case 'clear':
      return value === '' ? state : { value: '', cursor: 0 };
    default:
      return state;
  }
}
