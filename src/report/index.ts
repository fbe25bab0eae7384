// The report layer's public API: from a run's results to the files a person reads.
// Only write.ts (and the library loader behind it) touches the file system.

export { toCsv } from './csv.ts';
export { formatFigure } from './figures.ts';
export { reportHtml } from './html.ts';
export { type EmbedLibraries, loadEmbedLibraries } from './libraries.ts';
export { type RenderedChart, renderChart, renderSvg, svgToPng } from './render.ts';
export { type WriteOptions, type WrittenFiles, writeRunOutput } from './write.ts';
