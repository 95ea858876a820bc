import { execFileSync } from 'node:child_process';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';

/** A real JPEG encoded by sharp: a colour field with a lighter square, so it is not flat. */
export async function makeJpeg(
  width: number,
  height: number,
  rgb: [number, number, number] = [200, 30, 40],
  /**
   * Where the square sits (0: the top-left eighth). Colour alone does not make another picture:
   * perceptual hashes compare structure in greyscale, so two colours of one layout are near
   * duplicates; a test that needs unrelated pictures gives each its own layout.
   */
  layout = 0,
): Promise<Buffer> {
  const square = await sharp({
    create: {
      width: Math.max(1, width >> 2),
      height: Math.max(1, height >> 2),
      channels: 3,
      background: { r: 250, g: 250, b: 250 },
    },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
    .composite([
      {
        input: square,
        left: ((1 + (layout % 5)) * width) >> 3,
        top: ((1 + (Math.floor(layout / 5) % 5)) * height) >> 3,
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function makePng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 180, b: 170, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

/**
 * A complete, valid black greyscale PNG of any size, built by streaming its rows through deflate
 * (a 20 000 × 20 000 image is 400 MB of pixels but about 400 kB of file): the decompression bomb
 * that upload limits must refuse.
 */
export async function makeGreyscalePng(width: number, height: number): Promise<Buffer> {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter method, no interlace
  const deflate = zlib.createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (c: Buffer) => compressed.push(c));
  const row = Buffer.alloc(width + 1); // filter byte 0, then black pixels
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  await new Promise((resolve) => deflate.end(resolve));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.concat(compressed)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF with a line of text, written by hand (objects, then a correct xref table). */
export function makePdf(text: string, mediaBox: [number, number] = [612, 792]): Buffer {
  const content = `BT /F1 36 Tf 72 700 Td (${text.replace(/[()\\]/g, (c) => `\\${c}`)}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${mediaBox[0]} ${mediaBox[1]}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/**
 * A test-pattern clip made by ffmpeg (required by `npm test`, installed by
 * `assetflow toolchain --system-tools`), written into `dir`; its path.
 */
export function makeVideoFile(dir: string, size = '320x240', seconds = 2): string {
  const out = path.join(dir, 'clip.mp4');
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=duration=${seconds}:size=${size}:rate=10`,
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'ultrafast',
    out,
  ]);
  return out;
}
