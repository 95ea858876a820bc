import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The environment variable that holds the anchor key; it wins over the key file. */
const AUDIT_KEY_VARIABLE = 'ASSETFLOW_AUDIT_KEY';
/** Shorter keys are refused: an HMAC key should carry at least 128 bits. */
const MIN_KEY_CHARS = 32;

export interface AnchorKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  source: string;
}

/**
 * The key anchors are signed with: `$ASSETFLOW_AUDIT_KEY`, else the contents of `keyFile`. When
 * neither exists and `create` is set (the server, `audit anchor`), a random 256-bit key is written
 * to `keyFile`, readable by its owner only. Never stored in the database, never logged. Null when
 * there is no key and none may be made (`audit verify`).
 */
export async function loadAnchorKey(options: {
  keyFile: string;
  env?: NodeJS.ProcessEnv;
  create: boolean;
}): Promise<AnchorKey | null> {
  const fromEnv = (options.env ?? process.env)[AUDIT_KEY_VARIABLE];
  if (fromEnv !== undefined && fromEnv !== '')
    return { key: checked(fromEnv, AUDIT_KEY_VARIABLE), source: AUDIT_KEY_VARIABLE };
  const existing = await readKeyFile(options.keyFile);
  if (existing !== null) return { key: checked(existing, options.keyFile), source: options.keyFile };
  if (!options.create) return null;
  await mkdir(path.dirname(options.keyFile), { recursive: true });
  try {
    await writeFile(options.keyFile, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const made = await readKeyFile(options.keyFile);
  if (made === null) throw new Error(`${options.keyFile} vanished right after it was written`);
  return { key: checked(made, options.keyFile), source: options.keyFile };
}

async function readKeyFile(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function checked(text: string, source: string): Buffer {
  if (text.length < MIN_KEY_CHARS)
    throw new Error(`The audit anchor key from ${source} is shorter than ${MIN_KEY_CHARS} characters.`);
  return Buffer.from(text, 'utf8');
}
