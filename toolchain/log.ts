/** Toolchain progress goes to stderr so it never mixes with a command's real output. */
export type ToolchainLog = (message: string) => void;

export const stderrLog: ToolchainLog = (message) =>
  process.stderr.write(`[assetflow toolchain] ${message}\n`);

export async function timed<T>(log: ToolchainLog, what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`${what}…`);
  const result = await work();
  log(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
