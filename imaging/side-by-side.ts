import { canvas, decodeImage } from './pixels';

const GAP = 16;

/**
 * Two images next to each other on white, each fitted within `box`×`box` and aligned at the top:
 * the picture a reviewer compares two versions with. PNG, so nothing is lost to recompression.
 */
export async function sideBySide(
  left: string,
  right: string,
  box: number,
  maxPixels: number,
): Promise<Buffer> {
  const fitted = (file: string) =>
    decodeImage(file, maxPixels)
      .rotate()
      .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
  const [a, b] = await Promise.all([fitted(left), fitted(right)]);
  return canvas({
    width: a.info.width + GAP + b.info.width,
    height: Math.max(a.info.height, b.info.height),
    channels: 3,
    background: '#ffffff',
  })
    .composite([
      { input: a.data, left: 0, top: 0 },
      { input: b.data, left: a.info.width + GAP, top: 0 },
    ])
    .png()
    .toBuffer();
}
