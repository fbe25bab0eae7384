// Scheduled faults as shaded bands on the time charts: each fault from its start to its end (the
// end of the run when it lasts the run), labelled "<target> <kind>" ("api slowdown"). Faults that
// share a window share a band; labels of bands that start close together go on separate lines.
import type { RunOutput } from '../observe/types.ts';
import { sig } from './numbers.ts';
import { ofKind, PLOT_WIDTH } from './theme.ts';

/** A pale amber, apart from the grey warm-up band and from the line colours drawn over it. */
export const FAULT_FILL = '#f5c242';
export const FAULT_OPACITY = 0.35;
export const FAULT_TEXT = '#7a5200';
/** Pixels from the top of a panel to the first label line, and between label lines. */
const LABEL_TOP = 3;
const LINE_HEIGHT = 14;
/** Rough width of one label character at 11 px, for spacing label lines. */
const CHAR_PX = 6.5;

export interface FaultBand {
  from: number;
  to: number;
  label: string;
  /** The label's y position in pixels from the top of the panel. */
  labelY: number;
}

/**
 * One band per distinct fault window of the given variants (default: every variant), in time order.
 * A fault that only some of those variants have names them in its label.
 */
export function faultBands(output: RunOutput, variants: readonly string[] = output.summary.variants.map((v) => v.name)): FaultBand[] {
  const windows = new Map<string, { from: number; to: number; faults: Map<string, Set<string>> }>();
  for (const v of output.summary.variants) {
    if (!variants.includes(v.name)) continue;
    for (const f of v.faults ?? []) {
      const key = `${f.from}\u0000${f.to}`;
      let w = windows.get(key);
      if (!w) windows.set(key, (w = { from: f.from, to: f.to, faults: new Map() }));
      const name = `${f.target} ${f.kind}`;
      let hit = w.faults.get(name);
      if (!hit) w.faults.set(name, (hit = new Set()));
      hit.add(v.name);
    }
  }
  const sorted = [...windows.values()].sort((a, b) => a.from - b.from || a.to - b.to);
  // Seconds per pixel of a plot PLOT_WIDTH wide spanning the run, to keep labels from running into each other.
  const secondsPerPx = Math.max(output.summary.duration, 1) / PLOT_WIDTH;
  const lineEnds: number[] = [];
  return sorted.map((w) => {
    const label = [...w.faults]
      .map(([name, hit]) => (hit.size < variants.length ? `${name} (${variants.filter((v) => hit.has(v)).join(', ')})` : name))
      .join(', ');
    let line = lineEnds.findIndex((end) => end <= w.from);
    if (line < 0) line = lineEnds.length;
    lineEnds[line] = w.from + (label.length * CHAR_PX + 8) * secondsPerPx;
    return { from: sig(w.from, 6), to: sig(w.to, 6), label, labelY: LABEL_TOP + LINE_HEIGHT * line };
  });
}

/** "api slowdown 20–30 s" for subtitles. */
export function faultPhrase(bands: readonly FaultBand[]): string {
  return bands.map((b) => `${b.label} ${b.from}–${b.to} s`).join('; ');
}

/**
 * The fault bands of a panel: a shaded rectangle each and, with `labels`, its label at the top of
 * the panel, or at the bottom of a panel `height` px tall when its lines run along the top.
 */
export function faultLayers(bands: readonly FaultBand[], labels: boolean, placement: { bottomOf?: number } = {}) {
  if (bands.length === 0) return [];
  const x = { field: 'from', type: 'quantitative' as const };
  const bottom = placement.bottomOf;
  return [
    {
      data: { values: bands },
      mark: { type: 'rect' as const, color: FAULT_FILL, opacity: FAULT_OPACITY },
      encoding: { x, x2: { field: 'to' } },
    },
    ...(labels
      ? [
          {
            data: { values: bands },
            ...(bottom === undefined ? {} : { transform: [{ calculate: `${bottom} - datum.labelY`, as: 'labelY' }] }),
            mark: {
              type: 'text' as const,
              align: 'left' as const,
              baseline: bottom === undefined ? ('top' as const) : ('bottom' as const),
              dx: 4,
              fontSize: 11,
              color: FAULT_TEXT,
            },
            encoding: { x, y: { field: 'labelY', type: 'quantitative' as const, scale: null }, text: { field: 'label' } },
          },
        ]
      : []),
  ];
}

/**
 * The fault bands of a panel whose shared data carries them as rows of kind `fault` (`from`, `to`, and a label `text`
 * at `labelY` px from the top): a shaded rectangle each and its label. `x` is the panel's time encoding.
 */
export function faultRowLayers(x: object) {
  return [
    {
      transform: ofKind('fault'),
      mark: { type: 'rect' as const, color: FAULT_FILL, opacity: FAULT_OPACITY },
      encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' } },
    },
    {
      transform: [{ filter: "datum.kind === 'fault' && isValid(datum.text)" }],
      mark: { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, fontSize: 11, color: FAULT_TEXT },
      encoding: { x: { ...x, field: 'from' }, y: { field: 'labelY', type: 'quantitative' as const, scale: null }, text: { field: 'text' } },
    },
  ];
}
