/**
 * A progress line on stderr: redrawn in place on a terminal, and every tenth of the way (and at
 * the end) otherwise, so logs of a long run stay short.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  return (done: number, total: number, extra = '') => {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const line = `${label} ${'█'.repeat(Math.round(fraction * 30)).padEnd(30, '░')} ${done}/${total}${extra ? ` ${extra}` : ''}`;
    if (stream.isTTY) {
      stream.write(`\r${line}${done >= total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth !== lastTenth || done >= total) {
      if (tenth !== lastTenth) stream.write(`${line}\n`);
      lastTenth = tenth;
    }
  };
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
