// Finds where in the scenario text a data path lives: walks the YAML document (through aliases),
// falls back to the nearest existing ancestor, attributes paths set by `--set` to that option, and
// for a variant prefers the node inside the variant's patch over the base scenario's.
import { type Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Finding } from './explain.ts';
import type { Override } from './overrides.ts';
import { formatPath, type Position, type Problem } from './problems.ts';

export interface Source {
  doc: Document;
  lineCounter: LineCounter;
  file: string;
  overrides: readonly Override[];
}

interface Reach {
  /** How many leading segments of the path exist in the document. */
  depth: number;
  node?: Node;
  /** The pair whose value is `node`, when the last step went through a map. */
  pair?: Pair;
}

const same = (a: PropertyKey, b: PropertyKey) => String(a) === String(b);

/** A pair's key as data: a parsed key is a Scalar node, one added by `--set` may be a plain value. */
export function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/** The pair of `map` whose key reads as `key`. */
export function pairOf(map: YAMLMap, key: PropertyKey): Pair | undefined {
  return map.items.find((p) => {
    const k = keyOf(p);
    return (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') && String(k) === String(key);
  });
}

function reach(doc: Document, path: readonly PropertyKey[]): Reach {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  let depth = 0;
  for (const segment of path) {
    const here = isAlias(node) ? node.resolve(doc) : node;
    if (isMap(here)) {
      const found = pairOf(here, segment);
      if (!found) break;
      pair = found;
      node = found.value;
    } else if (isSeq(here) && /^\d+$/.test(String(segment)) && Number(segment) < here.items.length) {
      pair = undefined;
      node = here.items[Number(segment)];
    } else break;
    depth++;
  }
  return { depth, node: isNode(node) ? node : undefined, pair };
}

/**
 * The source offset of what a finding points at: a scalar value itself, else the key naming the map or
 * list (`pod:`), else the collection's start; undefined when that spot was created by `--set`.
 */
function offset(r: Reach, exact: boolean, at: Finding['at']): number | undefined {
  const keyNode = r.pair && isNode(r.pair.key) ? r.pair.key : undefined;
  const scalar = isScalar(r.node) || isAlias(r.node);
  const target = exact && at !== 'key' && (scalar || !keyNode) ? (r.node ?? keyNode) : (keyNode ?? r.node);
  return target?.range?.[0];
}

const isPrefix = (prefix: readonly PropertyKey[], path: readonly PropertyKey[]) =>
  prefix.length <= path.length && prefix.every((s, i) => same(s, path[i] as PropertyKey));

/** The last override that set `path` or one of its ancestors, or that created the spot reached. */
function overrideFor(source: Source, path: readonly PropertyKey[], reached: readonly PropertyKey[], created: boolean): Override | undefined {
  const latest = [...source.overrides].reverse();
  return latest.find((o) => isPrefix(o.path, path)) ?? (created ? latest.find((o) => isPrefix(reached, o.path)) : undefined);
}

/** The position of `path` in the text (or of the `--set` that wrote it). */
export function positionOf(source: Source, path: readonly PropertyKey[], at: Finding['at'] = 'value'): Position {
  const r = reach(source.doc, path);
  const start = offset(r, r.depth === path.length, at);
  const override = overrideFor(source, path, path.slice(0, r.depth), start === undefined && r.depth > 0);
  if (override) return { file: `--set ${override.text}`, line: 0, col: 0 };
  if (start === undefined) return { file: source.file, line: 1, col: 1 };
  const { line, col } = source.lineCounter.linePos(start);
  return { file: source.file, line, col };
}

/** The position of `path` only when it exists in the file or was set by `--set` (for pointing at an optional key). */
export function exactPositionOf(source: Source, path: readonly PropertyKey[]): Position | undefined {
  return reach(source.doc, path).depth === path.length ? positionOf(source, path) : undefined;
}

/** A located finding; `inBase` when a variant's finding points into the base scenario rather than its patch. */
export interface Located {
  problem: Problem;
  inBase: boolean;
}

/** Places a finding from the base scenario or, given `variant`, from that variant's merged scenario. */
export function locate(source: Source, finding: Finding, variant?: string): Located {
  const shown = finding.at === 'missing' ? finding.path.slice(0, -1) : finding.path;
  let full: PropertyKey[] = finding.path;
  let printed: PropertyKey[] = shown;
  let inBase = variant !== undefined;
  if (variant !== undefined) {
    const inPatch = ['variants', variant, ...finding.path];
    const patchDepth = reach(source.doc, inPatch).depth - 2;
    if (patchDepth >= 1 && patchDepth >= reach(source.doc, finding.path).depth) {
      full = inPatch;
      printed = ['variants', variant, ...shown];
      inBase = false;
    }
  }
  const position = positionOf(source, full, finding.at);
  return { problem: { ...position, path: formatPath(printed), message: finding.message }, inBase };
}

/** The data path of a node inside the document, from the ancestors `visit` reports. */
export function pathTo(ancestors: readonly unknown[], node: unknown): PropertyKey[] {
  const path: PropertyKey[] = [];
  const chain = [...ancestors, node];
  chain.forEach((a, i) => {
    const next = chain[i + 1];
    if (isSeq(a)) path.push(a.items.indexOf(next as Node));
    else if (isPair(a) && next === a.value) path.push(String(keyOf(a)));
  });
  return path;
}
