// Validation problems as data (file, 1-based line and column, dotted path, message) and their
// compiler-style rendering: a header line, the offending source line and a caret under the column.
// A problem with line 0 has no place in the source text (a `--set` option, a file-level refusal).

export interface Problem {
  /** The scenario file, or `--set path=value` for a problem in a command-line override. */
  file: string;
  /** 1-based; 0 when the problem has no position in the source text. */
  line: number;
  /** 1-based, in UTF-16 code units like most editors; 0 with line 0. */
  col: number;
  /** Where in the scenario, e.g. `services.client.calls[0].rate`; empty for the whole file. */
  path: string;
  message: string;
}

export type Position = Pick<Problem, 'file' | 'line' | 'col'>;

const plainKey = /^[A-Za-z0-9_-]+$/;

/** `['services', 'client', 'calls', 0, 'rate']` → `services.client.calls[0].rate`; odd keys print as `["a.b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && plainKey.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/**
 * Positionless problems first (in the order given), then by line and column. Repeats of a message at
 * one position are dropped: an anchor used through several aliases is reported once, at the anchor.
 */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const key = JSON.stringify(p.line > 0 ? [p.file, p.line, p.col, p.message] : [p.file, p.path, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.line - b.line || a.col - b.col);
}

const maxShown = 120;

/** Cuts a long source line to a window around the column; returns the shown text and the caret's offset in it. */
function window(line: string, col: number): { text: string; caret: number } {
  const chars = Array.from(line);
  const at = Array.from(line.slice(0, Math.max(0, col - 1))).length;
  if (chars.length <= maxShown) return { text: line, caret: at };
  const start = Math.max(0, Math.min(at - maxShown / 2, chars.length - maxShown));
  const end = Math.min(chars.length, start + maxShown);
  const head = start > 0 ? '…' : '';
  const text = head + chars.slice(start, end).join('') + (end < chars.length ? '…' : '');
  return { text, caret: at - start + head.length };
}

function header(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

/** Renders problems, sorted by position, each as `file:line:col: path: message` plus source line and caret. */
export function formatProblems(problems: readonly Problem[], sourceText: string): string {
  const lines = sourceText.split(/\r?\n|\r/);
  const sorted = sortProblems(problems);
  const width = String(Math.max(0, ...sorted.map((p) => p.line))).length;
  const gutter = ' '.repeat(width + 1);
  const out: string[] = [];
  for (const p of sorted) {
    out.push(header(p));
    const source = p.line > 0 ? lines[p.line - 1] : undefined;
    if (source === undefined) continue;
    const { text, caret } = window(source.replace(/\t/g, ' '), p.col);
    out.push(`${String(p.line).padStart(width + 1)} | ${text}`.trimEnd());
    out.push(`${gutter} | ${' '.repeat(caret)}^`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
