// Loads a scenario from YAML text: parse, apply `--set` overrides, expand, validate the base, merge
// and validate each variant. Pure (no file system): every mistake found on the way comes back as a
// located Problem, all of them at once. The event budget is checked by the caller (checkBudget).
import { isMap as isYamlMap } from 'yaml';
import { explainIssues } from './explain.ts';
import { keyOf, locate, type Source } from './locate.ts';
import { isMap, mergePatch } from './merge.ts';
import { rememberOrigin } from './origin.ts';
import { applyOverrides } from './overrides.ts';
import { expand, parseYaml } from './parse.ts';
import { type Problem, sortProblems } from './problems.ts';
import { type Scenario, scenario as scenarioSchema } from './schema.ts';

export interface LoadOptions {
  /** `path=value` overrides, applied in order before validation. */
  sets?: readonly string[];
  /** Alias expansions allowed when turning YAML into data (default 100). */
  maxAliasCount?: number;
  /** Largest scenario text accepted, in bytes of UTF-8 (default 5 MB). */
  maxBytes?: number;
}

export interface Variant {
  name: string;
  scenario: Scenario;
}

export type LoadResult = { ok: true; scenario: Scenario; variants: Variant[] } | { ok: false; problems: Problem[] };

const fail = (problems: Problem[]): LoadResult => ({ ok: false, problems: sortProblems(problems) });
const problemKey = (p: Problem) => JSON.stringify([p.file, p.line, p.col, p.path, p.message]);

function validate(data: unknown): { scenario?: Scenario; findings: ReturnType<typeof explainIssues> } {
  const result = scenarioSchema.safeParse(data, { reportInput: true });
  return result.success ? { scenario: result.data, findings: [] } : { findings: explainIssues(result.error.issues, scenarioSchema, data) };
}

/** Variant names in file order (a JS object would put integer-like names first). */
function variantNames(source: Source, patches: Record<string, unknown>): string[] {
  const node = source.doc.getIn(['variants'], true);
  const inFile = isYamlMap(node) ? node.items.map((p) => String(keyOf(p))) : [];
  const names = inFile.filter((n) => Object.hasOwn(patches, n));
  return [...new Set([...names, ...Object.keys(patches)])];
}

/** Merges and validates each variant; problems that the base already reports are not repeated. */
function loadVariants(source: Source, data: Record<string, unknown>, reported: Set<string>): { variants: Variant[]; problems: Problem[] } {
  const { variants: patches, ...base } = data;
  const variants: Variant[] = [];
  const fromBase = new Map<string, { problem: Problem; names: string[] }>();
  const problems: Problem[] = [];
  if (!isMap(patches)) return { variants, problems };
  for (const name of variantNames(source, patches)) {
    const patch = patches[name];
    if (!isMap(patch)) continue;
    const merged = mergePatch(base, patch) as Record<string, unknown>;
    delete merged.variants;
    const result = validate(merged);
    if (result.scenario) variants.push({ name, scenario: result.scenario });
    for (const finding of result.findings) {
      const { problem, inBase } = locate(source, finding, name);
      const key = problemKey(problem);
      if (!inBase) problems.push(problem);
      else if (!reported.has(key)) {
        const group = fromBase.get(key) ?? { problem, names: [] };
        group.names.push(name);
        fromBase.set(key, group);
      }
    }
  }
  for (const { problem, names } of fromBase.values()) {
    const which = `${names.length === 1 ? 'variant' : 'variants'} ${names.map((n) => `\`${n}\``).join(', ')}`;
    problems.push({ ...problem, message: `${problem.message} (in ${which})` });
  }
  return { variants, problems };
}

/** Loads scenario text named `file`; see LoadOptions. No variants give one variant named `base`. */
export function loadScenario(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const { sets = [], maxAliasCount = 100, maxBytes = 5_000_000 } = options;

  // 1. Parse the YAML; syntax errors and duplicate keys become problems.
  const parsed = parseYaml(text, file, maxBytes);
  if (!parsed.usable) return fail(parsed.problems);

  // 2. Apply the `--set` overrides to the document.
  const { applied, problems: refused } = applyOverrides(parsed.doc, sets, maxAliasCount);
  const source: Source = { doc: parsed.doc, lineCounter: parsed.lineCounter, file, overrides: applied };
  const problems = [...parsed.problems, ...refused];

  // 3. Expand to plain data, refusing alias bombs.
  const expanded = expand(source, maxAliasCount);
  if ('problem' in expanded) return fail([...problems, expanded.problem]);
  const data = expanded.data;
  if (!isMap(data)) {
    const message = 'the file is empty; a scenario needs at least `name`, `duration` and `services`';
    return fail([...problems, { file, line: 0, col: 0, path: '', message }]);
  }

  // 4. Validate the base scenario alone.
  const base = validate(data);
  const baseProblems = base.findings.map((f) => locate(source, f).problem);
  problems.push(...baseProblems);

  // 5. Merge each variant over the base and validate it.
  const loaded = loadVariants(source, data, new Set(baseProblems.map(problemKey)));
  problems.push(...loaded.problems);
  if (problems.length > 0 || !base.scenario) return fail(problems);
  const variants = loaded.variants.length > 0 ? loaded.variants : [{ name: 'base', scenario: base.scenario }];
  for (const s of [base.scenario, ...variants.map((v) => v.scenario)]) rememberOrigin(s, source);
  return { ok: true, scenario: base.scenario, variants };
}
