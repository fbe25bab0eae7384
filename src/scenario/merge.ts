// Deep merge of a variant patch over the base scenario's raw data, with the semantics of JSON Merge
// Patch (RFC 7386): maps merge key by key, recursively; lists and scalars replace; `null` deletes.
// One exception: a map whose kind changes (a different `distribution`) is replaced whole, since the
// old kind's parameters mean nothing to the new one. Neither input is modified.

type Data = Record<string, unknown>;

export function isMap(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setOwn(target: Data, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Keys that say what kind of thing a map is: when a patch changes one, the map is replaced, not merged. */
const kindKeys = ['distribution'];

const changesKind = (base: Data, patch: Data) => kindKeys.some((k) => Object.hasOwn(patch, k) && patch[k] !== null && patch[k] !== base[k]);

/** `patch` merged over `base`: a new value, sharing untouched parts of `base`. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const out: Data = {};
  if (isMap(base) && !changesKind(base, patch)) for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}
