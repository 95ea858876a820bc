import sharp from 'sharp';

/** A real JPEG encoded by sharp: a colour field with a lighter square, so it is not flat. */
export async function makeJpeg(
  width: number,
  height: number,
  rgb: [number, number, number] = [200, 30, 40],
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
    .composite([{ input: square, left: width >> 3, top: height >> 3 }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

export async function makePng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 180, b: 170, alpha: 0.5 } } })
    .png()
    .toBuffer();
}
