// Progress on stderr: a bar redrawn at most 10 times a second on a terminal; outside a terminal a
// line at every quarter; nothing with --quiet. stdout stays free for results.

export interface Progress {
  update(done: number, total: number, events: number): void;
  finish(): void;
}

const quietProgress: Progress = { update() {}, finish() {} };

const fmtEvents = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : `${n}`;

export function progress(stream: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet) return quietProgress;
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const line = (done: number, total: number, events: number) => `${done}/${total} runs · ${fmtEvents(events)} events · ${elapsed().toFixed(1)} s`;
  if (stream.isTTY) {
    let last = 0;
    let pending = '';
    const draw = (text: string) => stream.write(`\r\x1b[2K${text}`);
    return {
      update(done, total, events) {
        const width = 28;
        const filled = Math.round((done / total) * width);
        pending = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${line(done, total, events)}`;
        const now = elapsed();
        if (now - last >= 0.1 || done === total) {
          draw(pending);
          last = now;
        }
      },
      finish() {
        if (pending) stream.write('\n');
      },
    };
  }
  let quarter = 0;
  return {
    update(done, total, events) {
      const q = Math.floor((done / total) * 4);
      if (q > quarter) {
        quarter = q;
        stream.write(`${line(done, total, events)}\n`);
      }
    },
    finish() {},
  };
}
