// The UMD builds of vega, vega-lite and vega-embed, read from node_modules to be inlined into
// report.html so it renders from file:// with no network. Their `exports` maps hide package.json,
// so resolve each package's entry and walk up to the folder that holds package.json.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface EmbedLibraries {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const require = createRequire(import.meta.url);

/** The root folder of an installed package (the nearest folder above its entry with a package.json). */
export function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above the entry of ${name}`);
    dir = parent;
  }
  return dir;
}

/** The package's minified UMD build: build/<file>. */
async function umd(name: string, file: string): Promise<string> {
  const path = join(packageRoot(name), 'build', file);
  const code = await readFile(path, 'utf8');
  // Inside <script>, "</script" would end the element early; a backslash keeps the JS identical.
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

let cached: Promise<EmbedLibraries> | undefined;

/** The three libraries' code, read once per process. */
export function loadEmbedLibraries(): Promise<EmbedLibraries> {
  cached ??= Promise.all([umd('vega', 'vega.min.js'), umd('vega-lite', 'vega-lite.min.js'), umd('vega-embed', 'vega-embed.min.js')]).then(
    ([vega, vegaLite, vegaEmbed]) => ({ vega, vegaLite, vegaEmbed }),
  );
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
