import sharp from 'sharp';

/**
 * The edits a near-duplicate detector must see through (a copy of the same picture) and the
 * near misses it must not confuse (different pictures in the same style). Shared by the duplicate
 * tests and bench/duplicates.bench.ts.
 */
export const ATTACKS: Record<string, (image: Buffer) => Promise<Buffer>> = {
  'resize 50 %': async (image) => {
    const { width } = await sharp(image).metadata();
    return sharp(image)
      .resize(Math.round(width! / 2))
      .toBuffer();
  },
  'JPEG quality 60': (image) => sharp(image).jpeg({ quality: 60 }).toBuffer(),
  'WebP quality 75': (image) => sharp(image).webp({ quality: 75 }).toBuffer(),
  'brightness +15 %': (image) => sharp(image).modulate({ brightness: 1.15 }).toBuffer(),
  'visible watermark': async (image) => {
    const { width, height } = await sharp(image).metadata();
    const mark = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="50%" y="90%" font-family="DejaVu Sans" font-size="${Math.round(height! / 12)}" text-anchor="middle" fill="#fff" fill-opacity="0.6">© MuseDAM 2026</text></svg>`;
    return sharp(image)
      .composite([{ input: Buffer.from(mark) }])
      .toBuffer();
  },
  'crop 5 % (centred)': (image) => crop(image, 0.95),
  'crop 10 % (centred)': (image) => crop(image, 0.9),
};

async function crop(image: Buffer, keep: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const w = Math.round(width * keep);
  const h = Math.round(height * keep);
  return sharp(image)
    .extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h })
    .toBuffer();
}

/**
 * Two designs in one house style: the same background colour, layout and type, with a different
 * product photo and headline — what a campaign's sibling posters look like.
 */
export async function sameStyleDesigns(photos: Buffer[], style: { background: string; accent: string }) {
  const designs: Buffer[] = [];
  for (const [i, photo] of photos.entries()) {
    const product = await sharp(photo).resize(600, 600, { fit: 'cover' }).toBuffer();
    const type = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="1200">
      <rect x="0" y="0" width="800" height="140" fill="${style.accent}"/>
      <text x="400" y="95" font-family="DejaVu Sans" font-weight="bold" font-size="64" text-anchor="middle" fill="#fff">SPRING ${2026 + i}</text>
      <text x="400" y="1040" font-family="DejaVu Sans" font-size="48" text-anchor="middle" fill="${style.accent}">New arrival no. ${i + 1}</text>
    </svg>`;
    designs.push(
      await sharp({ create: { width: 800, height: 1200, channels: 3, background: style.background } })
        .composite([
          { input: product, left: 100, top: 260 },
          { input: Buffer.from(type), left: 0, top: 0 },
        ])
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
  }
  return designs;
}
