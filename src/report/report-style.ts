// The report page's stylesheet: a narrow readable column, a compact numeric table, charts that
// scroll sideways on small screens rather than shrink into illegibility.

export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 24px 64px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 16px; margin-bottom: 24px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 40px 0 12px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; padding: 0; list-style: none; color: var(--muted); }
.meta b { color: var(--fg); font-weight: 600; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
table.results { border-collapse: collapse; width: 100%; font-size: 13.5px; font-variant-numeric: tabular-nums; }
table.results caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 13px; padding-top: 8px; }
table.results th, table.results td { padding: 6px 7px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.results thead th { text-align: right; vertical-align: bottom; font-weight: 600; border-bottom: 2px solid var(--fg); white-space: normal; min-width: 4.5em; }
table.results thead th:first-child, table.results tbody th { text-align: left; }
table.results td { text-align: right; }
table.results tbody tr:nth-child(even) { background: var(--bg-soft); }
table.edges tbody tr.group th { text-align: left; background: #fff; border-bottom: 1px solid var(--fg); padding-top: 16px; font-size: 14px; }
table.edges tbody tr.group:first-child th { padding-top: 8px; }
table.edges tbody tr:not(.group) th { font-weight: 400; padding-left: 16px; }
table.edges tbody tr:nth-child(even) { background: none; }
table.edges tbody tr:nth-child(odd):not(.group) { background: var(--bg-soft); }
.tag { font-size: 11px; font-weight: 400; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; margin-left: 4px; }
.unit { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
.table-wrap, figure.chart { overflow-x: auto; }
figure.chart { margin: 0 0 32px; }
figure.chart figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
.chart-error { color: #b42318; }
pre.scenario { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 16px; overflow-x: auto; line-height: 1.45; }
`;
