import sharp, { type Create, type Metadata, type Sharp } from 'sharp';

/**
 * The one module that imports sharp. Every image Assetflow decodes from outside passes through
 * `decodeImage`, which always carries a pixel limit; pixels Assetflow made itself (raw buffers,
 * its own encoded intermediates, blank canvases) are wrapped by the other three functions.
 */
export type { Metadata, Sharp };

/** A file or buffer from outside, decoded with a pixel limit (`limitInputPixels`). */
export function decodeImage(input: string | Buffer, maxPixels: number): Sharp {
  return sharp(input, { limitInputPixels: maxPixels });
}

/**
 * Only the header of a file or buffer (format, size): no pixel is decoded, so no limit applies
 * here; callers compare the size with their own limit and message.
 */
export function readHeader(input: string | Buffer): Promise<Metadata> {
  return sharp(input, { limitInputPixels: false }).metadata();
}

/** Raw pixels this process holds (a channel count of 1 for grey, 3 for RGB). */
export function fromPixels(
  data: Buffer | Uint8Array,
  raw: { width: number; height: number; channels: 1 | 3 },
): Sharp {
  return sharp(data, { raw });
}

/** An image this process encoded itself a moment ago (an intermediate of a rendition). */
export function fromOwnEncoding(data: Buffer): Sharp {
  return sharp(data);
}

/** A blank canvas to draw on. */
export function canvas(create: Create): Sharp {
  return sharp({ create });
}
