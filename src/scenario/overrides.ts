// `--set path=value` overrides, applied to the parsed YAML document before validation. The path is
// dotted with array indices as `calls.0.rate` or `calls[0].rate` (odd keys as `["a.b"]`); the value
// is YAML (`4` a number, `30s` a string, `{a: 1}` a map), and `null` or nothing deletes the key.
import { type Document, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { keyOf, pairOf } from './locate.ts';
import { formatPath, type Problem } from './problems.ts';

/** An override that was applied: its option text and the document path it set. */
export interface Override {
  text: string;
  path: PropertyKey[];
}

const token = /\.?([^.[\]"=\s]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** `services.client.calls[0].rate` → segments; a string is a message saying what is wrong. */
export function parseSetPath(text: string): string[] | string {
  const segments: string[] = [];
  token.lastIndex = 0;
  while (token.lastIndex < text.length) {
    const start = token.lastIndex;
    const m = token.exec(text);
    if (!m || m.index !== start || (start === 0 && text.startsWith('.')) || (start > 0 && m[1] !== undefined && text[start] !== '.')) {
      return `cannot read the path at "${text.slice(start)}"; write it as services.server.pod.workers or services.client.calls[0].rate`;
    }
    segments.push(m[1] ?? m[2] ?? (JSON.parse(m[3] as string) as string));
  }
  return segments.length > 0 ? segments : 'the path is empty; write --set path=value, e.g. --set duration=30s';
}

type Step = { path: PropertyKey[]; exists: boolean } | string;

/** Follows `segments` through the document, keeping YAML key types, creating nothing; a string explains a dead end. */
function resolve(doc: Document, segments: readonly string[]): Step {
  const path: PropertyKey[] = [];
  let node: unknown = doc.contents;
  let exists = true;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const here = path.length === 0 ? 'the top level' : `\`${formatPath(path)}\``;
    if (isAlias(node)) return `${here} is an alias (*${node.source}); --set cannot change inside it, set ${here} as a whole`;
    if (isMap(node)) {
      let pair = pairOf(node, segment);
      // A key with dots in it (`variants.rho-0.50.seed`) was split: join segments while that names a key.
      for (let j = i + 1; !pair && j < segments.length; j++) {
        pair = pairOf(node, segments.slice(i, j + 1).join('.'));
        if (pair) i = j;
      }
      path.push(pair ? (keyOf(pair) as PropertyKey) : segment);
      node = pair?.value;
    } else if (isSeq(node)) {
      const index = /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
      if (!(index <= node.items.length)) return `${here} is a list of ${node.items.length}; expected an index from 0 to ${node.items.length}, got "${segment}"`;
      path.push(index);
      node = node.items[index];
    } else if (node === undefined || node === null || (isScalar(node) && node.value === null)) {
      exists = false;
      path.push(...segments.slice(i));
      break;
    } else {
      const shown = isScalar(node) ? ` (${String(node.value)})` : '';
      return `${here} holds a value${shown}, not a map; cannot set \`${segment}\` inside it`;
    }
    if (node === undefined) exists = false;
  }
  return { path, exists };
}

/** Reads an override's value as YAML; a string explains why it cannot be read. */
function parseValue(text: string, maxAliasCount: number): { value: unknown } | string {
  const doc = parseDocument(text, { prettyErrors: false });
  const error = doc.errors[0];
  if (error) return `the value is not valid YAML: ${error.message}`;
  try {
    return { value: doc.toJS({ maxAliasCount }) };
  } catch (e) {
    return `the value cannot be read: ${(e as Error).message}`;
  }
}

/** Applies each `--set` to the document in order; returns what was applied and what was refused. */
export function applyOverrides(doc: Document, sets: readonly string[], maxAliasCount: number): { applied: Override[]; problems: Problem[] } {
  const applied: Override[] = [];
  const problems: Problem[] = [];
  for (const text of sets) {
    const refuse = (path: string, message: string) => problems.push({ file: `--set ${text}`, line: 0, col: 0, path, message });
    const eq = text.indexOf('=');
    if (eq < 0) {
      refuse('', 'expected path=value, e.g. --set services.server.pod.workers=4');
      continue;
    }
    const segments = parseSetPath(text.slice(0, eq).trim());
    if (typeof segments === 'string') {
      refuse('', segments);
      continue;
    }
    const parsed = parseValue(text.slice(eq + 1), maxAliasCount);
    const step = resolve(doc, segments);
    if (typeof step === 'string') refuse(formatPath(segments), step);
    else if (typeof parsed === 'string') refuse(formatPath(segments), parsed);
    else {
      if (parsed.value === null || parsed.value === undefined) {
        if (step.exists) doc.deleteIn(step.path);
      } else {
        clearNullParents(doc, step.path);
        doc.setIn(step.path, doc.createNode(parsed.value));
      }
      applied.push({ text, path: step.path });
    }
  }
  return { applied, problems };
}

/** An empty YAML value (`pod:`) on the way to the target becomes an empty map, so the target can be set inside it. */
function clearNullParents(doc: Document, path: readonly PropertyKey[]): void {
  for (let i = 1; i < path.length; i++) {
    const node = doc.getIn(path.slice(0, i), true);
    if (isScalar(node) && node.value === null) doc.setIn(path.slice(0, i), doc.createNode({}));
  }
}
