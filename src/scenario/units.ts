// Durations and rates as people write them in a scenario: `250ms`, `1h30m`, `3000/s`.
// Everything inside meshsim is in seconds (durations) and per second (rates).

const durationUnits: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
};

const part = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|min|m|h|d)/y;

/** Parses `250ms`, `1.5s`, `2h`, `1h30m` into seconds; returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s.length === 0) return undefined;
  let total = 0;
  part.lastIndex = 0;
  while (part.lastIndex < s.length) {
    const start = part.lastIndex;
    const m = part.exec(s);
    if (!m || m.index !== start) return undefined;
    total += Number(m[1]) * (durationUnits[m[2] as string] as number);
  }
  return total;
}

const rateUnits: Record<string, number> = { ms: 1000, s: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };
const rateRe = /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*\/\s*(ms|s|min|m|h)\s*$/;

/** Parses `3000/s`, `12/min` into a rate per second; undefined when the text is not a rate. */
export function parseRate(text: string): number | undefined {
  const m = rateRe.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (rateUnits[m[2] as string] as number);
}

/** Formats seconds compactly for messages and tables: 0.0025 → "2.5ms". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  if (seconds < 1e-3) return `${+(seconds * 1e6).toPrecision(4)}us`;
  if (seconds < 1) return `${+(seconds * 1e3).toPrecision(4)}ms`;
  if (seconds < 120) return `${+seconds.toPrecision(4)}s`;
  if (seconds < 7200) return `${+(seconds / 60).toPrecision(4)}m`;
  return `${+(seconds / 3600).toPrecision(4)}h`;
}
