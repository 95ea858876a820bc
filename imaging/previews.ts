import type { VideoFacts } from '../domain/ingest-findings';

export type { VideoFacts } from '../domain/ingest-findings';

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** A preview that takes longer than this is given up (a damaged file can make a decoder spin). */
const TOOL_TIMEOUT_MS = 60_000;

/** External programs previews use; Debian's ffmpeg and poppler-utils by default. */
export interface PreviewTools {
  ffmpeg: string;
  ffprobe: string;
  pdftoppm: string;
  pdfinfo: string;
}

export const DEBIAN_TOOLS: PreviewTools = {
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffprobe',
  pdftoppm: 'pdftoppm',
  pdfinfo: 'pdfinfo',
};

export type Preview =
  | { ok: true; png: Buffer; video?: VideoFacts; pages?: number }
  | { ok: false; reason: string };

/**
 * A still image standing for a video (a representative frame, chosen by ffmpeg's `thumbnail`
 * filter among the first frames) or a PDF (its first page at 150 dpi), with the facts the tools
 * report. When the tool is not installed the answer says so; nothing else depends on it.
 */
export async function makePreview(
  file: string,
  mediaType: string,
  tools = DEBIAN_TOOLS,
): Promise<Preview | null> {
  if (mediaType.startsWith('video/')) return videoPreview(file, tools);
  if (mediaType === 'application/pdf') return pdfPreview(file, tools);
  return null;
}

async function videoPreview(file: string, tools: PreviewTools): Promise<Preview> {
  return withScratch(async (dir) => {
    const out = path.join(dir, 'frame.png');
    const made = await tool(tools.ffmpeg, [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      'thumbnail=30',
      '-frames:v',
      '1',
      out,
    ]);
    if (!made.ok) return made;
    const probe = await tool(tools.ffprobe, [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,codec_name:format=duration',
      '-of',
      'json',
      file,
    ]);
    const facts = probe.ok ? (JSON.parse(probe.stdout) as FfprobeOutput) : {};
    const stream = facts.streams?.[0];
    const duration = Number(facts.format?.duration);
    return {
      ok: true,
      png: await readFile(out),
      video: {
        durationSeconds: Number.isFinite(duration) ? Math.round(duration * 100) / 100 : null,
        width: stream?.width ?? null,
        height: stream?.height ?? null,
        codec: stream?.codec_name ?? null,
      },
    };
  });
}

async function pdfPreview(file: string, tools: PreviewTools): Promise<Preview> {
  return withScratch(async (dir) => {
    const made = await tool(tools.pdftoppm, [
      '-png',
      '-r',
      '150',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      path.join(dir, 'page'),
    ]);
    if (!made.ok) return made;
    const info = await tool(tools.pdfinfo, [file]);
    const pages = info.ok ? Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1]) : Number.NaN;
    return { ok: true, png: await readFile(path.join(dir, 'page.png')), ...(pages > 0 ? { pages } : {}) };
  });
}

interface FfprobeOutput {
  streams?: { width?: number; height?: number; codec_name?: string }[];
  format?: { duration?: string };
}

async function tool(
  program: string,
  args: string[],
): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  try {
    const { stdout } = await run(program, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: 1024 * 1024 });
    return { ok: true, stdout };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (e.code === 'ENOENT')
      return { ok: false, reason: `no preview: ${path.basename(program)} is not installed` };
    if (e.killed)
      return {
        ok: false,
        reason: `no preview: ${path.basename(program)} took over ${TOOL_TIMEOUT_MS / 1000} s`,
      };
    const detail = (e.stderr ?? e.message).trim().split('\n')[0];
    return { ok: false, reason: `no preview: ${path.basename(program)} failed (${detail})` };
  }
}

async function withScratch<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'assetflow-preview-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
