// Turns zod issues into findings a scenario author can act on: what was expected, what was found,
// and a "did you mean" where a name is misspelt. A finding says whether it points at a value, at a
// key (unknown or invalid key) or at a missing key (then the message names it and the parent is shown).
import type { z } from 'zod';
import { descriptionAt, isIntegerAt, keysAt } from './shape.ts';
import { backticks, didYouMean, quotes } from './suggest.ts';

export interface Finding {
  path: PropertyKey[];
  message: string;
  at: 'value' | 'key' | 'missing';
}

type Issue = z.core.$ZodIssue;

const kinds: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map of keys and values',
  record: 'a map of keys and values',
  array: 'a list',
};

function isRecord(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The raw value at `path`, and whether its last key exists at all. */
function lookup(data: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let value = data;
  for (const key of path) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return { found: false, value: undefined };
    value = value[key];
  }
  return { found: true, value };
}

/** A short description of what the file holds, for "got …". */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number ' : ''}${value}`;
  if (Array.isArray(value)) return 'a list';
  return 'a map';
}

/** Hints for numbers written where a duration or a rate string belongs. */
function unitHint(message: string, value: unknown): string {
  if (typeof value !== 'number') return '';
  if (message.startsWith('expected a duration')) return `; write "${value}s" for ${value} seconds`;
  if (message.startsWith('expected a rate')) return `; write "${value}/s" for ${value} per second`;
  return '';
}

const isDefault = (message: string, prefixes: string[]): boolean => prefixes.some((p) => message.startsWith(p));

/** A description as a clause: "Destination service." → "destination service". */
const clause = (text: string) => text.charAt(0).toLowerCase() + text.slice(1).replace(/\.$/, '');

function missing(path: PropertyKey[], detail: string): Finding {
  return { path, at: 'missing', message: `missing required key \`${String(path[path.length - 1])}\`: ${detail}` };
}

function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const small = issue.code === 'too_small';
  const limit = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
  const got = typeof value === 'number' ? ` (got ${value})` : '';
  if (issue.origin === 'array') return `needs ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`;
  if (issue.origin === 'string') return `needs ${small ? 'at least' : 'at most'} ${limit} characters`;
  if (issue.inclusive === false) return `must be ${small ? 'greater' : 'less'} than ${limit}${got}`;
  return `must be ${small ? 'at least' : 'at most'} ${limit}${got}`;
}

function union(issue: Extract<Issue, { code: 'invalid_union' }>, schema: z.ZodType, data: unknown): Finding[] {
  const base = issue.path;
  if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
    const names = issue.options.map(String);
    const { found, value } = lookup(data, base);
    const list = `expected one of: ${names.join(', ')}`;
    if (!found) return [missing(base, `one of ${names.join(', ')}`)];
    const hint = typeof value === 'string' ? didYouMean(value, names, quotes) : '';
    return [{ path: base, at: 'value', message: `unknown ${issue.discriminator} ${JSON.stringify(value)} (${list})${hint}` }];
  }
  // A branch failing on the value's type is the wrong branch; among the others, the one with fewest issues explains it.
  const wrongType = (b: Issue[]) => b.some((i) => i.code === 'invalid_type' && i.path.length === 0);
  const matched = issue.errors.filter((b) => !wrongType(b)).sort((a, b) => a.length - b.length)[0];
  if (matched) return matched.flatMap((inner) => explainIssue({ ...inner, path: [...base, ...inner.path] } as Issue, schema, data));
  const expected = issue.errors.map((b) => {
    const first = b.find((i) => i.code === 'invalid_type' && i.path.length === 0) as Extract<Issue, { code: 'invalid_type' }>;
    return isDefault(first.message, ['Invalid input']) ? (kinds[first.expected] ?? first.expected) : first.message.replace(/^expected /, '');
  });
  const value = lookup(data, base).value;
  return [{ path: base, at: 'value', message: `expected ${expected.join(', or ')}; got ${describe(value)}` }];
}

/** One zod issue → one or more findings (an unrecognized-keys issue gives one per key). */
export function explainIssue(issue: Issue, schema: z.ZodType, data: unknown): Finding[] {
  const path = issue.path;
  const { found, value } = lookup(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, path, data);
      return issue.keys.map((key) => {
        const hint = didYouMean(key, allowed, backticks);
        const list = hint === '' && allowed.length > 0 ? `; expected one of: ${allowed.join(', ')}` : '';
        return { path: [...path, key], at: 'key', message: `unknown key \`${key}\`${hint}${list}` };
      });
    }
    case 'invalid_type': {
      if (!found) {
        const description = descriptionAt(schema, path, data);
        const expected = `expected ${kinds[issue.expected] ?? issue.expected}`;
        const detail = !isDefault(issue.message, ['Invalid input']) ? issue.message : description ? clause(description) : expected;
        return [missing(path, detail.replace(/^expected /, ''))];
      }
      if (isDefault(issue.message, ['Invalid input'])) {
        const expected = issue.expected === 'number' && isIntegerAt(schema, path, data) ? 'int' : issue.expected;
        return [{ path, at: 'value', message: `expected ${kinds[expected] ?? expected}, got ${describe(value)}` }];
      }
      return [{ path, at: 'value', message: `${issue.message}; got ${describe(value)}${unitHint(issue.message, value)}` }];
    }
    case 'too_small':
    case 'too_big': {
      if (!isDefault(issue.message, ['Too small', 'Too big'])) {
        const got = typeof value === 'number' ? ` (got ${value})` : '';
        return [{ path, at: 'value', message: issue.message + got }];
      }
      return [{ path, at: 'value', message: bound(issue, value) }];
    }
    case 'invalid_union':
      return union(issue, schema, data);
    case 'invalid_key': {
      const inner = issue.issues.map((i) => i.message).join('; ');
      const kind = { services: 'service name', variants: 'variant name' }[String(path[path.length - 2])] ?? 'key';
      return [{ path, at: 'key', message: `${JSON.stringify(String(path[path.length - 1]))} is not a valid ${kind}: ${inner}` }];
    }
    case 'invalid_format': {
      const custom = !isDefault(issue.message, ['Invalid string']);
      const message = custom ? issue.message : `does not match the pattern ${issue.pattern ?? issue.format}`;
      return [{ path, at: 'value', message: `${message}; got ${describe(value)}` }];
    }
    case 'invalid_value': {
      const names = issue.values.map(String);
      const hint = typeof value === 'string' ? didYouMean(value, names, quotes) : '';
      return [{ path, at: 'value', message: `expected ${names.map((n) => JSON.stringify(n)).join(' or ')}, got ${describe(value)}${hint}` }];
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { unknownReference?: string; candidates?: string[] };
      const hint = params.unknownReference !== undefined ? didYouMean(params.unknownReference, params.candidates ?? [], quotes) : '';
      return [{ path, at: 'value', message: issue.message + hint }];
    }
    default:
      return [{ path, at: 'value', message: issue.message }];
  }
}

/** Every issue of a failed parse, explained. */
export function explainIssues(issues: readonly Issue[], schema: z.ZodType, data: unknown): Finding[] {
  return issues.flatMap((issue) => explainIssue(issue, schema, data));
}
