// Summary figures as text for people: "mean ±half-width" of the 95% CI, with the half-width given
// to the mean's decimals. Locale-independent, so a report reads the same on every machine.
import type { Figure } from '../observe/types.ts';

/** Thousands separated with commas, e.g. "12,345.6". */
function groupThousands(fixed: string): string {
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Decimals that show `x` with `digits` significant digits (0 for large numbers). */
export function decimalsFor(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  return Math.max(0, Math.min(6, digits - 1 - Math.floor(Math.log10(Math.abs(x)))));
}

export function formatNumber(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return String(x);
  const fixed = x.toFixed(decimals);
  return groupThousands(fixed === `-${(0).toFixed(decimals)}` ? fixed.slice(1) : fixed);
}

export interface FigureFormat {
  /** Multiply before printing (100 for a percentage). */
  scale?: number;
  /** Significant digits of the mean. */
  digits?: number;
  /** Fixed decimals instead of significant digits. */
  decimals?: number;
  /** Appended to the mean, e.g. "%". */
  suffix?: string;
}

/** "4.12 ±0.05", "99.96% ±0.01", or just the mean when the CI has no width (one replication). */
export function formatFigure(f: Figure, o: FigureFormat = {}): string {
  const scale = o.scale ?? 1;
  const mean = f.mean * scale;
  const half = ((f.hi - f.lo) / 2) * scale;
  const decimals = o.decimals ?? decimalsFor(mean, o.digits ?? 3);
  const text = `${formatNumber(mean, decimals)}${o.suffix ?? ''}`;
  return half > 0 ? `${text} ±${formatNumber(half, decimals)}` : text;
}
