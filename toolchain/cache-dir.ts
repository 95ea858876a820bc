import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where built or downloaded Temporal binaries live: outside the repository, shared by every
 * checkout on the machine. `ASSETFLOW_CACHE_DIR` wins, then `$XDG_CACHE_HOME/assetflow`.
 */
export function toolchainCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.ASSETFLOW_CACHE_DIR ??
    path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'assetflow');
  mkdirSync(dir, { recursive: true });
  return dir;
}
