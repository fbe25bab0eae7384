// Replace a whole folder at once: fill a fresh temporary sibling, then swap it in with renames
// (old aside, new in, old deleted). A failure while filling leaves the previous folder untouched
// and no temporary folder behind; readers never see a half-written folder.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

let counter = 0;

/** A sibling path `<target>.<tag>-<pid>-<n>` that does not exist yet. */
function unusedSibling(target: string, tag: string): string {
  for (;;) {
    const candidate = `${target}.${tag}-${process.pid}-${counter++}`;
    if (!existsSync(candidate)) return candidate;
  }
}

async function createFreshDir(target: string): Promise<string> {
  for (;;) {
    const dir = unusedSibling(target, 'tmp');
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Moves `fresh` to `target`, putting any previous `target` back if the move fails. */
async function swapInto(fresh: string, target: string): Promise<void> {
  let old: string | undefined = unusedSibling(target, 'old');
  try {
    await rename(target, old);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    old = undefined;
  }
  try {
    await rename(fresh, target);
  } catch (error) {
    if (old !== undefined) await rename(old, target);
    throw error;
  }
  // The new folder is in place; failing to delete the old one only leaves a stray `.old-` folder.
  if (old !== undefined) await rm(old, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Calls `fill` with an empty temporary folder next to `outDir`, then makes that folder `outDir`.
 * If `fill` or the swap throws, the temporary folder is removed and the error rethrown.
 */
export async function replaceDirAtomically<T>(outDir: string, fill: (dir: string) => Promise<T>): Promise<T> {
  const target = resolve(outDir);
  await mkdir(dirname(target), { recursive: true });
  const fresh = await createFreshDir(target);
  try {
    const result = await fill(fresh);
    await swapInto(fresh, target);
    return result;
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
}
