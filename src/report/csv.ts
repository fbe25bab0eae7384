// Tidy rows → CSV text (RFC 4180 quoting). The header comes from the rows' keys in order of first
// appearance; null and undefined print empty; numbers print at most 6 significant digits.

/** One cell: integers exactly, other numbers to 6 significant digits, non-finite numbers empty. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    if (Object.is(value, -0)) return '0';
    return String(Number.isInteger(value) ? value : Number(value.toPrecision(6)));
  }
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The union of the rows' keys, in order of first appearance. */
export function csvColumns(rows: readonly object[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** CSV text with a header line and one line per row, each ending in "\n"; "" when there are no columns. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly string[] = csvColumns(rows)): string {
  if (columns.length === 0) return '';
  const lines = [columns.map(formatCell).join(',')];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    lines.push(columns.map((c) => formatCell(record[c])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
