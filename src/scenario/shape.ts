// Walks the zod schema along a data path to find the object schema there, so that an unknown key
// can be compared with the keys allowed at that place. Discriminated unions pick the branch named
// by the data's discriminator value.
import { z } from 'zod';

type Schema = z.core.$ZodType;

function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { innerType?: Schema; in?: Schema; type: string };
    if (def.type === 'pipe' && def.in) s = def.in;
    else if (def.innerType) s = def.innerType;
    else return s;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The union branch whose literal discriminator matches the data, or the first object branch having `key`. */
function branch(union: z.ZodUnion, data: unknown, key?: PropertyKey): Schema | undefined {
  const options = union.options.map(unwrap);
  const discriminator = (union.def as { discriminator?: string }).discriminator;
  if (discriminator !== undefined && isRecord(data)) {
    const tag = data[discriminator];
    for (const option of options) {
      if (!(option instanceof z.ZodObject)) continue;
      const literal = unwrap(option.shape[discriminator]);
      if (literal instanceof z.ZodLiteral && literal.values.has(tag as z.core.util.Literal)) return option;
    }
  }
  return options.find((o) => o instanceof z.ZodObject && (key === undefined || String(key) in o.shape)) ?? options[0];
}

function step(schema: Schema, segment: PropertyKey, data: unknown): Schema | undefined {
  let s = unwrap(schema);
  if (s instanceof z.ZodUnion) s = unwrap(branch(s, data, segment) ?? s);
  if (s instanceof z.ZodObject) return s.shape[String(segment)];
  if (s instanceof z.ZodRecord) return s.valueType;
  if (s instanceof z.ZodArray) return s.element;
  return undefined;
}

/** The schema that validates the value at `path`, with the data there (for picking union branches). */
function schemaAt(root: Schema, path: readonly PropertyKey[], data: unknown): { schema?: Schema; value: unknown } {
  let schema: Schema | undefined = root;
  let value = data;
  for (const segment of path) {
    if (schema === undefined) break;
    schema = step(schema, segment, value);
    value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[segment] : undefined;
  }
  return { schema, value };
}

/** The `.describe()` text of the field at `path`, if any. */
export function descriptionAt(root: Schema, path: readonly PropertyKey[], data: unknown): string | undefined {
  let s = schemaAt(root, path, data).schema;
  while (s) {
    const description = z.globalRegistry.get(s)?.description;
    if (description) return description;
    const inner: Schema = unwrap(s);
    s = inner === s ? undefined : inner;
  }
  return undefined;
}

/** The keys an object at `path` may have, in schema order; empty when the schema there is not an object. */
export function keysAt(root: Schema, path: readonly PropertyKey[], data: unknown): string[] {
  const { schema, value } = schemaAt(root, path, data);
  if (schema === undefined) return [];
  let s = unwrap(schema);
  if (s instanceof z.ZodUnion) s = unwrap(branch(s, value) ?? s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** True when the value at `path` must be a whole number (a zod `int`), which zod reports as "expected number". */
export function isIntegerAt(root: Schema, path: readonly PropertyKey[], data: unknown): boolean {
  const { schema } = schemaAt(root, path, data);
  const s = schema && unwrap(schema);
  return s instanceof z.ZodNumber && s.format !== null && /int/.test(s.format);
}
