// The YAML phase of loading: refuse oversized text, parse with positions, turn syntax errors and
// duplicate keys into problems, and expand the document to plain data while refusing alias bombs
// ("billion laughs": a few lines whose anchors and aliases expand exponentially).
import { type Document, isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { pathTo, positionOf, type Source } from './locate.ts';
import { formatPath, type Problem } from './problems.ts';

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
  problems: Problem[];
  /** False when the text is too broken to validate further. */
  usable: boolean;
}

function utf8Length(text: string): number {
  return text.length * 3 <= 1e6 ? text.length : new TextEncoder().encode(text).length;
}

const rewrites: Record<string, (message: string) => string> = {
  MULTIPLE_DOCS: () => 'a scenario file holds one YAML document; this starts a second one (remove the `---` or split the file)',
  TAB_AS_INDENT: (m) => `${m}; indent with spaces`,
};

/** One problem per repeated key, at the repeat, naming the line of the first. */
function duplicateKeys(doc: Document, lineCounter: LineCounter, file: string): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Map(_, map, ancestors) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.value === '<<' || !pair.key.range) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        const at = lineCounter.linePos(pair.key.range[0]);
        if (first === undefined) seen.set(key, at.line);
        else {
          const path = formatPath([...pathTo(ancestors, map), key]);
          problems.push({ file, ...at, path, message: `duplicate key \`${key}\`; it is already set on line ${first}` });
        }
      }
    },
  });
  return problems;
}

/** Parses scenario text; syntax errors and duplicate keys become problems with positions. */
export function parseYaml(text: string, file: string, maxBytes: number): ParsedYaml {
  const lineCounter = new LineCounter();
  const size = utf8Length(text);
  if (size > maxBytes) {
    const mb = (n: number) => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)} kB` : `${n} bytes`);
    const message = `the file is ${mb(size)}, over the ${mb(maxBytes)} limit for a scenario; is this the right file?`;
    return { doc: parseDocument(''), lineCounter, problems: [{ file, line: 0, col: 0, path: '', message }], usable: false };
  }
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const problems: Problem[] = [];
  let usable = true;
  let duplicates = false;
  for (const error of doc.errors) {
    if (error.code === 'DUPLICATE_KEY') {
      duplicates = true;
      continue;
    }
    usable = false;
    const message = rewrites[error.code]?.(error.message) ?? error.message;
    problems.push({ file, ...lineCounter.linePos(error.pos[0]), path: '', message: `YAML syntax error: ${message}` });
  }
  if (duplicates) {
    const found = duplicateKeys(doc, lineCounter, file);
    problems.push(...found);
    if (found.length === 0) usable = false;
  }
  if (usable && doc.contents !== null && !isMap(doc.contents)) {
    const message = 'a scenario is a map of keys (name, duration, services, …) at the top level';
    problems.push({ file, ...lineCounter.linePos(doc.contents.range?.[0] ?? 0), path: '', message });
    usable = false;
  }
  return { doc, lineCounter, problems, usable };
}

/** Counts values reachable from `data`, visiting shared (aliased) parts each time, up to `limit`. */
function expandedSize(data: unknown, limit: number): number {
  let count = 0;
  const stack = [data];
  while (stack.length > 0 && count <= limit) {
    const value = stack.pop();
    count++;
    if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) stack.push(v);
  }
  return count;
}

/** The plain data of the document, or a problem when expanding its aliases would be a resource attack. */
export function expand(source: Source, maxAliasCount: number, maxValues = 4_000_000): { data: unknown } | { problem: Problem } {
  let data: unknown;
  let excess: string;
  try {
    data = source.doc.toJS({ maxAliasCount });
    if (expandedSize(data, maxValues) <= maxValues) return { data };
    excess = `would expand to more than ${maxValues} values`;
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    excess = `would exceed the limit of ${maxAliasCount} alias uses (maxAliasCount)`;
  }
  let first: PropertyKey[] = [];
  visit(source.doc, {
    Alias(_, alias, ancestors) {
      first = pathTo(ancestors, alias);
      return visit.BREAK;
    },
  });
  const message =
    `expanding the anchors and aliases (*name) in this file ${excess}, the signature of a YAML "billion laughs" bomb; ` +
    'write the values out or use fewer aliases';
  return { problem: { ...positionOf(source, first), path: formatPath(first), message } };
}
