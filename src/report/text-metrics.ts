// Exact text widths from a TrueType font's cmap and hmtx tables, so vega's headless layout
// measures labels as resvg will draw them (its fallback guesses 0.8 em per character).
// Tables per the OpenType spec (https://learn.microsoft.com/typography/opentype/spec/).

export type AdvanceWidth = (text: string, fontSize: number) => number;

/** Advance widths (in em) of a font's characters, looked up lazily; unknown characters count 0.6 em. */
export function advanceWidth(ttf: Uint8Array): AdvanceWidth {
  const view = new DataView(ttf.buffer, ttf.byteOffset, ttf.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(ttf[at]!, ttf[at + 1]!, ttf[at + 2]!, ttf[at + 3]!);
    tables.set(tag, view.getUint32(at + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table('head') + 18);
  const numberOfHMetrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphOf = cmapFormat4(view, table('cmap'));
  const cache = new Map<number, number>();
  const em = (code: number): number => {
    let w = cache.get(code);
    if (w === undefined) {
      const glyph = glyphOf(code);
      w = glyph === 0 ? 0.6 : view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;
      cache.set(code, w);
    }
    return w;
  };
  return (text, fontSize) => {
    let total = 0;
    for (const ch of text) total += em(ch.codePointAt(0)!);
    return total * fontSize;
  };
}

/** Code point → glyph index via the Unicode BMP subtable (platform 3/1 or 0/3, format 4). */
function cmapFormat4(view: DataView, cmap: number): (code: number) => number {
  const count = view.getUint16(cmap + 2);
  let sub = -1;
  for (let i = 0; i < count && sub < 0; i++) {
    const platform = view.getUint16(cmap + 4 + 8 * i);
    const encoding = view.getUint16(cmap + 6 + 8 * i);
    const offset = cmap + view.getUint32(cmap + 8 + 8 * i);
    if (((platform === 3 && encoding === 1) || (platform === 0 && encoding === 3)) && view.getUint16(offset) === 4) sub = offset;
  }
  if (sub < 0) throw new Error('font has no format-4 Unicode cmap');
  const segCount = view.getUint16(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segCount + 2;
  const deltas = starts + 2 * segCount;
  const rangeOffsets = deltas + 2 * segCount;
  return (code) => {
    if (code > 0xffff) return 0;
    for (let s = 0; s < segCount; s++) {
      if (view.getUint16(ends + 2 * s) < code) continue;
      const start = view.getUint16(starts + 2 * s);
      if (start > code) return 0;
      const delta = view.getInt16(deltas + 2 * s);
      const rangeAt = rangeOffsets + 2 * s;
      const range = view.getUint16(rangeAt);
      if (range === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(rangeAt + range + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/**
 * A replacement for vega's `textMetrics.width(item, text)`: trims like vega, picks the regular or
 * bold face, and truncates to `item.limit` with an ellipsis exactly as vega's own truncate does.
 */
export function vegaTextWidth(regular: AdvanceWidth, bold: AdvanceWidth): (item: TextItem, text?: unknown) => number {
  return (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11;
    const weight = item.fontWeight;
    const face = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || Number(weight) >= 600 ? bold : regular;
    const width = (s: string) => face(s, size);
    let s = text == null ? '' : String(text).trim();
    const limit = Number(item.limit);
    if (limit > 0 && s.length > 0 && width(s) >= limit) {
      const room = limit - width('\u2026');
      let lo = 0;
      let hi = s.length;
      while (lo < hi) {
        const mid = 1 + ((lo + hi) >>> 1);
        if (width(s.slice(0, mid)) < room) lo = mid;
        else hi = mid - 1;
      }
      s = `${s.slice(0, lo)}\u2026`;
    }
    return width(s);
  };
}
