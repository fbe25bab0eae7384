// A Vega-Lite spec → SVG (vega's headless 'none' renderer) → PNG (resvg). Text uses the DejaVu
// fonts bundled with the npm package, never system fonts, so the bytes match on every machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { advanceWidth, vegaTextWidth } from './text-metrics.ts';

export const CHART_FONT = 'DejaVu Sans';

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

export interface CompiledChart {
  /** The Vega spec Vega-Lite compiled to. */
  vega: object;
  /** Vega-Lite's warnings (ignored channels, dropped scales …): a chart bug when non-empty. */
  warnings: string[];
}

const require = createRequire(import.meta.url);

/** The DejaVu Sans faces (regular, bold, oblique) from the `dejavu-fonts-ttf` package. */
export function fontFiles(): string[] {
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((f) => join(dir, f));
}

/** The spec with every text mark set in the bundled font. */
export function withChartFont(spec: TopLevelSpec): TopLevelSpec {
  return { ...spec, config: { ...spec.config, font: CHART_FONT } } as TopLevelSpec;
}

/** A vega / vega-lite logger that throws on errors and collects warnings into `warnings`. */
function collectingLogger(warnings: string[]) {
  const text = (args: readonly unknown[]) => args.map(String).join(' ');
  const logger = {
    level: (_?: number) => logger,
    error: (...args: readonly unknown[]): never => {
      throw new Error(text(args));
    },
    warn: (...args: readonly unknown[]) => {
      warnings.push(text(args));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

export async function compileChart(spec: TopLevelSpec): Promise<CompiledChart> {
  const vl = await import('vega-lite');
  const warnings: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: vega-lite's LoggerInterface is not exported from its index
  const compiled = vl.compile(withChartFont(spec), { logger: collectingLogger(warnings) as any });
  return { vega: compiled.spec, warnings };
}

let measured = false;

/** Vega measures text with the DejaVu glyph widths from now on (it estimates 0.8 em per character without a canvas). */
async function loadVega(): Promise<typeof import('vega')> {
  const vega = await import('vega');
  if (!measured) {
    const [regular, bold] = fontFiles().map((f) => advanceWidth(readFileSync(f)));
    // vega exports textMetrics (vega-scenegraph) but its typings omit it; vl-convert swaps `width` the same way.
    (vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = vegaTextWidth(regular!, bold!);
    measured = true;
  }
  return vega;
}

/** The SVG and every warning from Vega-Lite's compiler and vega's dataflow (empty extents …). */
export async function renderSvgChecked(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  const [vega, compiled] = await Promise.all([loadVega(), compileChart(spec)]);
  const warnings = [...compiled.warnings];
  // biome-ignore lint/suspicious/noExplicitAny: vega.parse wants vega's own Spec type, which vega-lite's output matches
  const view = new vega.View(vega.parse(compiled.vega as any), { renderer: 'none', logger: collectingLogger(warnings) as any, logLevel: vega.Warn });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return (await renderSvgChecked(spec)).svg;
}

export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  });
  return resvg.render().asPng();
}

/** SVG and 2× PNG of one chart. */
export async function renderChart(spec: TopLevelSpec): Promise<RenderedChart> {
  const svg = await renderSvg(spec);
  return { svg, png: await svgToPng(svg) };
}
