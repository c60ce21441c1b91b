// Screen geometry: how many lines each part gets for a terminal size. The frame stays one line
// shorter than the terminal, because Ink clears the whole screen on every frame that fills it (flicker).

export interface ScreenSize {
  columns: number;
  rows: number;
}

export interface Layout {
  width: number;
  /** Lines of the whole frame. */
  height: number;
  header: number;
  list: number;
  /** 0 when the terminal is too small for a detail pane. */
  detail: number;
  footer: number;
}

export const DEFAULT_SIZE: ScreenSize = { columns: 100, rows: 30 };
const HEADER = 2;
const FOOTER = 1;
const MAX_DETAIL = 14;
const MIN_LIST = 3;

export function computeLayout(size: Partial<ScreenSize>): Layout {
  const width = Math.max(20, size.columns || DEFAULT_SIZE.columns);
  const rows = Math.max(6, size.rows || DEFAULT_SIZE.rows);
  const height = rows - 1;
  const body = height - HEADER - FOOTER;
  // The detail pane takes up to 40% of the body (with a separator line), never squeezing the list below MIN_LIST.
  let detail = Math.min(MAX_DETAIL, Math.floor(body * 0.4));
  if (body - detail < MIN_LIST) detail = Math.max(0, body - MIN_LIST);
  if (detail < 4) detail = 0;
  const list = body - detail;
  return { width, height, header: HEADER, list, detail, footer: FOOTER };
}

/** truncate cuts `text` to `width` columns, ending with an ellipsis when it was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

/** fit truncates or pads `text` to exactly `width` columns. */
export function fit(text: string, width: number): string {
  const t = truncate(text, width);
  return t.length < width ? t + ' '.repeat(width - t.length) : t;
}

/** wrap breaks text into lines of at most `width` columns, at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else { out.push(line); line = word; }
      while (line.length > width) { out.push(line.slice(0, width)); line = line.slice(width); }
    }
    out.push(line);
  }
  return out;
}

/** printable makes text safe to draw on one line: tabs become spaces, other control characters go. */
export function printable(text: string): string {
  return text.replace(/\t/g, '    ').replace(/[\u0000-\u001f\u007f]/g, '');
}
