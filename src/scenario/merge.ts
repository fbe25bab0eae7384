// Deep merge of a variant patch over the base scenario's raw data, with the semantics of JSON Merge
// Patch (RFC 7386): maps merge key by key, recursively; lists and scalars replace; `null` deletes.
// Neither input is modified; parts of the base that the patch does not touch are shared.

type Data = Record<string, unknown>;

export function isMap(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setOwn(target: Data, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `patch` merged over `base`: a new value, sharing untouched parts of `base`. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const out: Data = {};
  if (isMap(base)) for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}
