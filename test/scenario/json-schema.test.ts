// The committed scenario.schema.json must be what `meshsim schema` prints, and must carry the
// duration and rate patterns so editors flag "30 s" as they are typed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const expected = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;

type Json = { [key: string]: Json } | Json[] | string | number | boolean | null;
const find = (node: Json, key: string, out: Json[] = []): Json[] => {
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push(v);
      find(v, key, out);
    }
  }
  return out;
};

describe('scenario JSON Schema', () => {
  it('on disk equals scenarioJsonSchema()', () => {
    const onDisk = readFileSync(join(root, 'scenario.schema.json'), 'utf8');
    expect(onDisk, 'scenario.schema.json is stale; regenerate it with `npx meshsim schema > scenario.schema.json`').toBe(expected);
  });

  it('has an id and a title', () => {
    expect(scenarioJsonSchema()).toMatchObject({ $id: expect.any(String), title: 'meshsim scenario' });
  });

  it('checks durations and rates with patterns', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, { pattern?: string }> };
    const duration = new RegExp(schema.properties.duration?.pattern as string, 'u');
    expect(duration.test('30s')).toBe(true);
    expect(duration.test('30 s')).toBe(false);
    expect(duration.test('30')).toBe(false);
    const patterns = new Set(find(scenarioJsonSchema() as Json, 'pattern'));
    expect([...patterns].some((p) => typeof p === 'string' && new RegExp(p, 'u').test('3000/s'))).toBe(true);
  });

  it('describes the input side: durations are strings, defaults as written', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(schema.properties.warmup).toMatchObject({ type: 'string', default: '0s' });
    expect(schema.required).toEqual(['name', 'duration', 'services']);
  });
});
