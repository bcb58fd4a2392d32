import { OutlineNode } from '../../model/outline';
import { tokenize } from './tokens';

/**
 * Tokens, each marked when a line break (not a backtick continuation) stands before it. Newline
 * tokens themselves are left out: the tokenizer folds consecutive ones into one, so removing a
 * statement changes how many there are without changing what the script does.
 */
export function scriptOutline(text: string): OutlineNode[] {
  const out: OutlineNode[] = [];
  let depth = 0;
  let prevEnd = 0;
  for (const t of tokenize(text)) {
    if (t.kind === 'newline') continue;
    if (t.kind === 'close' && depth > 0) depth--;
    const raw = text.slice(t.start, t.end);
    const newLine = breaksLine(text.slice(prevEnd, t.start));
    out.push({
      depth,
      label: `${t.kind}${newLine ? '⏎' : ''}:${raw}`,
      name: `"${raw.length > 40 ? raw.slice(0, 39) + '…' : raw}"`,
      start: t.start,
      end: t.end,
      ownStart: t.start,
      ownEnd: t.end,
    });
    if (t.kind === 'open') depth++;
    prevEnd = t.end;
  }
  return out;
}

function breaksLine(gap: string): boolean {
  return /[\r\n]/.test(gap.replace(/`[ \t]*(\r\n|\n|\r)/g, ''));
}
