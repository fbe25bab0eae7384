// src/charts must run in a browser and stay a pure layer: it may import only src/observe types
// and vega-lite types, never Node built-ins or anything with side effects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/charts');

describe('src/charts imports', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    it(`${file} imports only ./, ../observe/ and vega-lite types`, () => {
      const source = readFileSync(join(dir, file), 'utf8');
      const imports = [...source.matchAll(/^\s*(import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => ({ text: m[0], from: m[2]! }));
      for (const { text, from } of imports) {
        if (from.startsWith('./')) continue;
        if (from.startsWith('../observe/') || from === 'vega-lite') {
          expect(text, `${file}: ${from} must be a type-only import`).toMatch(/^\s*(import|export) type /);
          continue;
        }
        throw new Error(`${file} imports ${from}`);
      }
      expect(source).not.toMatch(/\bimport\(|require\(|process\.|Math\.random|Date\.now/);
    });
  }
});
