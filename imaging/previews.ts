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
/**
 * What one run of a tool may use, enforced by the kernel (prlimit, util-linux): a crafted file —
 * a PDF page of 200 × 200 inches, a video of 16k × 16k frames — fails the run with a reason
 * instead of taking the worker's memory.
 */
const TOOL_LIMITS = { addressSpaceBytes: 2 * 1024 ** 3, cpuSeconds: 60 };
/** Decoded video frames larger than this are refused by ffmpeg's decoder (about 8K × 5K). */
const MAX_VIDEO_PIXELS = 40_000_000;
/**
 * The containers ffmpeg may open: video files. Not playlists (HLS, concat, image sequences), which
 * name other files and would have ffmpeg read them.
 */
const VIDEO_DEMUXERS = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,asf,ogg';
/** The longest side of a still: previews are thumbnails, never full renders. */
const MAX_STILL_SIDE = 2048;

/** External programs previews use; Debian's ffmpeg and poppler-utils by default. */
export interface PreviewTools {
  /** Runs each tool under resource limits. */
  prlimit: string;
  ffmpeg: string;
  ffprobe: string;
  pdftoppm: string;
  pdfinfo: string;
}

export const DEBIAN_TOOLS: PreviewTools = {
  prlimit: 'prlimit',
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
 * filter among the first frames) or a PDF (its first page), at most MAX_STILL_SIDE pixels on its
 * longest side, with the facts the tools
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
    const made = await tool(tools, tools.ffmpeg, [
      '-v',
      'error',
      // Local files only, and only video containers: a playlist naming URLs or other files is
      // not opened.
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      VIDEO_DEMUXERS,
      '-max_pixels',
      String(MAX_VIDEO_PIXELS),
      '-i',
      file,
      // Scaled down before the filter that keeps 30 frames in memory to choose one.
      '-vf',
      `scale='min(${MAX_STILL_SIDE},iw)':'min(${MAX_STILL_SIDE},ih)':force_original_aspect_ratio=decrease,thumbnail=30`,
      '-frames:v',
      '1',
      out,
    ]);
    if (!made.ok) return made;
    const probe = await tool(tools, tools.ffprobe, [
      '-v',
      'error',
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      VIDEO_DEMUXERS,
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
    const made = await tool(tools, tools.pdftoppm, [
      '-png',
      '-scale-to',
      String(MAX_STILL_SIDE),
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      path.join(dir, 'page'),
    ]);
    if (!made.ok) return made;
    const info = await tool(tools, tools.pdfinfo, [file]);
    const pages = info.ok ? Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1]) : Number.NaN;
    return { ok: true, png: await readFile(path.join(dir, 'page.png')), ...(pages > 0 ? { pages } : {}) };
  });
}

interface FfprobeOutput {
  streams?: { width?: number; height?: number; codec_name?: string }[];
  format?: { duration?: string };
}

async function tool(
  tools: PreviewTools,
  program: string,
  args: string[],
): Promise<{ ok: true; stdout: string } | { ok: false; reason: string }> {
  const limits = [`--as=${TOOL_LIMITS.addressSpaceBytes}`, `--cpu=${TOOL_LIMITS.cpuSeconds}`, '--'];
  try {
    const { stdout } = await run(tools.prlimit, [...limits, program, ...args], {
      timeout: TOOL_TIMEOUT_MS,
      maxBuffer: 1024 * 1024,
    });
    return { ok: true, stdout };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; killed?: boolean; signal?: string };
    if (e.code === 'ENOENT')
      return { ok: false, reason: `no preview: ${path.basename(tools.prlimit)} is not installed` };
    // prlimit could not start the tool itself.
    if (/failed to execute .*No such file or directory/.test(e.stderr ?? ''))
      return { ok: false, reason: `no preview: ${path.basename(program)} is not installed` };
    if (
      e.signal === 'SIGXCPU' ||
      e.signal === 'SIGKILL' ||
      /Cannot allocate memory|bad_alloc/.test(e.stderr ?? '')
    )
      return {
        ok: false,
        reason: `no preview: ${path.basename(program)} went over its limits (${TOOL_LIMITS.cpuSeconds} s of CPU, ${TOOL_LIMITS.addressSpaceBytes / 1024 ** 3} GiB of memory)`,
      };
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
