// Rendering problems like a compiler: header, source line, caret; sorted by position.
import { describe, expect, it } from 'vitest';
import { formatPath, formatProblems, type Problem } from '../../src/scenario/index.ts';

const source = 'name: x\nduration: 30 s\nservices:\n\tclient: {}\n';
const at = (line: number, col: number, path: string, message: string): Problem => ({ file: 's.yaml', line, col, path, message });

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [['services', 'client', 'calls', 0, 'rate'], 'services.client.calls[0].rate'],
    [['variants', 'l7-rr', 'seed'], 'variants.l7-rr.seed'],
    [['services', 'api.v1', 'replicas'], 'services["api.v1"].replicas'],
    [[], ''],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('formatProblems', () => {
  it('prints header, source line and a caret under the column', () => {
    expect(formatProblems([at(2, 11, 'duration', 'bad')], source)).toBe(
      ['s.yaml:2:11: duration: bad', ' 2 | duration: 30 s', '   |           ^', ''].join('\n'),
    );
  });

  it('sorts by position and drops exact repeats', () => {
    const text = formatProblems([at(2, 11, 'b', 'second'), at(1, 1, 'a', 'first'), at(2, 11, 'b', 'second'), at(2, 1, 'c', 'middle')], source);
    expect(text.split('\n').filter((l) => l.startsWith('s.yaml'))).toEqual(['s.yaml:1:1: a: first', 's.yaml:2:1: c: middle', 's.yaml:2:11: b: second']);
  });

  it('prints a --set problem without a source line, first', () => {
    const set: Problem = { file: '--set services.x.pod.workers=abc', line: 0, col: 0, path: 'services.x.pod.workers', message: 'expected a number' };
    const text = formatProblems([at(1, 1, 'name', 'n'), set], source);
    expect(text.split('\n')[0]).toBe('--set services.x.pod.workers=abc: services.x.pod.workers: expected a number');
    expect(text.split('\n')[1]).toBe('s.yaml:1:1: name: n');
  });

  it('omits an empty path', () => {
    expect(formatProblems([at(4, 1, '', 'YAML syntax error: tabs')], source).split('\n')[0]).toBe('s.yaml:4:1: YAML syntax error: tabs');
  });

  it('keeps the caret aligned on a line indented with a tab', () => {
    const lines = formatProblems([at(4, 2, 'services.client', 'x')], source).split('\n');
    expect(lines[1]?.indexOf('client')).toBe(lines[2]?.indexOf('^'));
  });

  it('widens the gutter for large line numbers', () => {
    const long = `${'\n'.repeat(99)}x: 1\n`;
    expect(formatProblems([at(100, 4, 'x', 'm')], long)).toBe('s.yaml:100:4: x: m\n 100 | x: 1\n     |    ^\n');
  });

  it('shows a window of a very long line around the column', () => {
    const line = `k: [${Array.from({ length: 100 }, (_, i) => i).join(', ')}]`;
    const col = line.indexOf('77') + 1;
    const [, shown, caret] = formatProblems([at(1, col, 'k[77]', 'm')], line).split('\n');
    expect(shown?.length).toBeLessThan(140);
    expect(shown?.slice(caret?.indexOf('^'), (caret?.indexOf('^') ?? 0) + 2)).toBe('77');
  });

  it('prints nothing for no problems', () => {
    expect(formatProblems([], source)).toBe('');
  });
});
