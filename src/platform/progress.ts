/** A progress bar on stderr (redrawn in place on a terminal, a line every 10% otherwise). */
export function progressBar(label: string): (done: number, total: number) => void {
  const t0 = Date.now();
  let lastTenth = -1;
  return (done, total) => {
    const frac = total ? done / total : 1;
    const width = 30;
    const filled = Math.round(frac * width);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs}s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    } else {
      const tenth = Math.floor(frac * 10);
      if (tenth !== lastTenth || done >= total) {
        lastTenth = tenth;
        process.stderr.write(`${line}\n`);
      }
    }
  };
}
