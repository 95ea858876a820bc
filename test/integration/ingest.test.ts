import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'kysely';
import sharp from 'sharp';
import {
  eventually,
  type Harness,
  startHarness,
  waitUntilEnriched,
  waitUntilStored,
} from '../support/harness';
import { asBuffer } from '../support/http-binary';
import { makeGreyscalePng, makePdf, makeVideoFile } from '../support/images';
import { recordHistoryIfAsked } from '../support/record-history';
import { databaseKinds } from '../support/test-databases';
import { testTemporalAddress } from '../support/test-env';

const PHOTOS = path.join(__dirname, '..', 'fixtures', 'photos');
const photo = (name: string) => readFileSync(path.join(PHOTOS, name));

/** A photograph as a camera would deliver it: EXIF (creator, camera, capture date, GPS) and XMP keywords. */
async function cameraJpeg(): Promise<Buffer> {
  const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:subject><rdf:Bag><rdf:li>coffee</rdf:li><rdf:li>咖啡</rdf:li></rdf:Bag></dc:subject>
    </rdf:Description></rdf:RDF></x:xmpmeta>`;
  return sharp(photo('coffee.jpg'))
    .withExif({
      IFD0: { Artist: 'Rachel Michetti', Copyright: 'CC0 1.0', Make: 'Canon', Model: 'EOS 5D' },
      IFD2: { DateTimeOriginal: '2025:03:08 10:15:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '31/1 14/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '121/1 28/1 0/1',
      },
    })
    .withXmp(xmp)
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Built once (4–8 s of deflate) and shared by both catalogues' runs. */
let bomb: Promise<Buffer>;
beforeAll(() => {
  bomb = makeGreyscalePng(20_000, 20_000);
});

/**
 * A 2-second 320×240 test-pattern clip, made by ffmpeg. ffmpeg and pdftoppm are required (`npm test`
 * installs them through `assetflow toolchain --system-tools`): without them this test fails, it
 * does not pass on the "not installed" path, which test/unit/imaging.test.ts covers.
 */
async function makeVideo(size = '320x240', seconds = 2): Promise<Buffer> {
  return readFileSync(makeVideoFile(mkdtempSync(path.join(os.tmpdir(), 'assetflow-video-')), size, seconds));
}

/** A sale poster: a red field with an English and a Chinese headline (needs fonts-wqy-zenhei). */
function posterWithText(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"><rect width="800" height="400" fill="#c8102e"/>
    <text x="400" y="150" font-family="DejaVu Sans" font-weight="bold" font-size="64" text-anchor="middle" fill="#fff">SPRING SALE 50% OFF</text>
    <text x="400" y="300" font-family="WenQuanYi Zen Hei" font-size="90" text-anchor="middle" fill="#fff">春季新品</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe.each(databaseKinds)('ingest: analysis, tags, thumbnails, duplicates (%s)', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(kind, { aiTagging: true });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const upload = (file: Buffer, filename: string, fields: Record<string, string> = {}) => {
    const req = harness.http.post('/api/assets');
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req.attach('file', file, filename);
  };
  const stored = (id: string) => waitUntilStored(harness, id, { timeoutMs: 30_000 });
  const assetCount = async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM assets`.execute(
      harness.storage.database.db,
    );
    return Number(rows[0]!.n);
  };
  /** Every file under the blob root except committed blobs and renditions: what a failed upload may leave. */
  const strayFiles = () => {
    const tmp = path.join(harness.config.blobs.dir, 'tmp');
    return existsSync(tmp) ? readdirSync(tmp) : [];
  };

  it('reads EXIF and XMP, names the colours, tags the photo and makes its thumbnail', async () => {
    const res = await upload(await cameraJpeg(), 'coffee.jpg').expect(201);
    expect(res.body.duplicates).toEqual([]);
    const asset = await stored(res.body.id);
    const analysis = asset.latestVersion.analysis;

    expect(analysis).toMatchObject({
      kind: 'image',
      format: 'jpeg',
      mediaType: 'image/jpeg',
      width: 512,
      height: 341,
    });
    expect(analysis.embedded).toEqual({
      creator: 'Rachel Michetti',
      copyright: 'CC0 1.0',
      camera: 'Canon EOS 5D',
      capturedAt: '2025-03-08T10:15:00.000Z',
      gps: { latitude: expect.closeTo(31.2333, 3), longitude: expect.closeTo(121.4667, 3) },
      keywords: ['coffee', '咖啡'],
    });
    expect(analysis.colours.palette[0]).toMatchObject({ family: 'brown', name: { zh: expect.any(String) } });
    expect(analysis.colours.tone.temperature).toBe('warm');
    expect(analysis.perceptualHash).toMatch(/^[0-9a-f]{16}$/);

    const tags = Object.fromEntries(analysis.tags.map((t: { name: string }) => [t.name, t]));
    expect(tags.photo).toMatchObject({ source: 'rule' });
    expect(tags.照片).toBeDefined();
    expect(tags.landscape).toMatchObject({ source: 'rule', confidence: 1 });
    expect(tags.brown).toBeDefined();
    expect(tags.棕色).toBeDefined();
    expect(tags.咖啡).toEqual({ name: '咖啡', source: 'user', confidence: 1 });

    // The thumbnail is a real WebP within 320×320, cached in the rendition store.
    expect(analysis.thumbnail).toMatchObject({ preset: 'thumbnail', mediaType: 'image/webp', width: 320 });
    const record = await harness.storage.renditions.countFor(asset.latestVersion.sha256);
    expect(record).toBe(1);
    const served = await asBuffer(harness.http.get(`/api/assets/${res.body.id}/thumbnail`))
      .expect(200)
      .expect('Content-Type', 'image/webp');
    expect(await sharp(served.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: 320 });

    // The workflow mirrors the derived tags into the catalogue, where search will find them.
    const tagged = await eventually(async () => {
      const row = await harness.storage.assets.find(res.body.id);
      return row?.tags.includes('咖啡') ? row : undefined;
    });
    expect(tagged.tags).toEqual(expect.arrayContaining(['photo', 'brown', 'coffee']));
  });

  it('stores first, then detects objects and reads text offline (CenterNet, PaddleOCR), with confidence and source', async () => {
    const person = await upload(photo('camera.jpg'), 'photographer.jpg').expect(201);
    const poster = await upload(await posterWithText(), 'poster.png').expect(201);
    await stored(person.body.id);
    expect(
      (await waitUntilEnriched(harness, person.body.id, 60_000)).latestVersion.analysis.enrichment,
    ).toEqual({
      state: 'done',
    });
    // The models ran after `stored`, as their own step; the workflow then made their tags the asset's.
    const steps = await eventually(async () => {
      const { timeline } = (await harness.http.get(`/api/assets/${person.body.id}/timeline`).expect(200))
        .body;
      const names: string[] = timeline.map((t: { event?: string; to: string }) => t.event ?? t.to);
      return names.includes('enriched') ? names : undefined;
    });
    expect(steps.indexOf('stored')).toBeGreaterThan(-1);
    expect(steps.indexOf('enriched')).toBeGreaterThan(steps.indexOf('stored'));
    const enriched = await eventually(async () => {
      const body = (await harness.http.get(`/api/assets/${person.body.id}`)).body;
      return body.tags.includes('person') ? body : undefined;
    });
    expect(enriched.tags).toEqual(expect.arrayContaining(['person', '人物']));
    await recordHistoryIfAsked(
      testTemporalAddress(),
      person.body.workflowId,
      'asset-lifecycle-v7-models-after-stored',
    );
    const personTags = enriched.latestVersion.analysis.tags;
    expect(personTags).toContainEqual({ name: 'person', source: 'ai', confidence: expect.any(Number) });
    expect(personTags).toContainEqual(expect.objectContaining({ name: '人物', source: 'ai' }));
    const confidence = personTags.find((t: { name: string }) => t.name === 'person').confidence;
    expect(confidence).toBeGreaterThanOrEqual(0.4);
    expect(confidence).toBeLessThanOrEqual(1);

    const { text } = (await waitUntilEnriched(harness, poster.body.id, 60_000)).latestVersion.analysis;
    expect(text.map((line: { text: string }) => line.text)).toContain('春季新品');
    expect(text.map((line: { text: string }) => line.text.replace(/\s/g, ''))).toContain('SPRINGSALE50%OFF');
  }, 60_000);

  it('makes a poster frame for a video and a first-page preview for a PDF (ffmpeg, poppler)', async () => {
    const video = await upload(await makeVideo(), 'teaser.mp4').expect(201);
    const pdf = await upload(makePdf('Spring catalogue 2026'), 'catalogue.pdf').expect(201);
    const videoAnalysis = (await stored(video.body.id)).latestVersion.analysis;
    const pdfAnalysis = (await stored(pdf.body.id)).latestVersion.analysis;
    expect(videoAnalysis).toMatchObject({
      kind: 'generic',
      mediaType: 'video/mp4',
      preview: {
        ok: true,
        video: { durationSeconds: 2, width: 320, height: 240, codec: expect.any(String) },
      },
      thumbnail: { mediaType: 'image/webp', width: 320, height: 240 },
    });
    expect(videoAnalysis.tags).toContainEqual(expect.objectContaining({ name: 'video' }));
    expect(pdfAnalysis).toMatchObject({
      kind: 'generic',
      mediaType: 'application/pdf',
      preview: { ok: true, pages: 1 },
      thumbnail: { mediaType: 'image/webp', height: 320 },
    });
  });

  it('M8: a 200-inch PDF page and an 8000×6000 video are stored at once, bounded or with a reason, never retried', async () => {
    const hugePage = await upload(makePdf('Poster', [14_400, 14_400]), 'billboard.pdf').expect(201);
    const bigFrames = await upload(await makeVideo('8000x6000', 1), 'huge.mp4').expect(201);
    const page = (await stored(hugePage.body.id)).latestVersion.analysis;
    const video = (await stored(bigFrames.body.id)).latestVersion.analysis;
    // The page is rendered at 2048 px at most (it was 30 000 × 30 000 at 150 dpi) …
    expect(page).toMatchObject({ preview: { ok: true, pages: 1 }, thumbnail: { mediaType: 'image/webp' } });
    // … and the video's frames are over the decoder's pixel limit: no preview, and why.
    expect(video.preview).toEqual({ ok: false, reason: expect.stringContaining('ffmpeg failed') });
    // Ingest succeeded at its first attempt for each: nothing failed and was retried.
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      for (const id of [hugePage.body.id, bigFrames.body.id]) {
        const history = await new Client({ connection }).workflow.getHandle(`asset-${id}`).fetchHistory();
        const started = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
        expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
      }
    } finally {
      await connection.close();
    }
  });

  it.each([
    ['a truncated JPEG', async () => (await cameraJpeg()).subarray(0, 9000), 'cut.jpg', 422, 'FILE_CORRUPT'],
    [
      'a PDF named .jpg',
      async () => Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
      'poster.jpg',
      415,
      'FILE_TYPE_MISMATCH',
    ],
    [
      'random bytes named .png',
      async () => Buffer.from('not an image at all, just text'),
      'logo.png',
      415,
      'FILE_TYPE_MISMATCH',
    ],
    ['a 20 000 × 20 000 PNG (decompression bomb)', () => bomb, 'bomb.png', 413, 'IMAGE_TOO_LARGE'],
  ])(
    'refuses %s with a clear 4xx and keeps nothing',
    async (_label, make, filename, status, code) => {
      const before = await assetCount();
      const res = await upload(await make(), filename);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, message: expect.stringContaining(filename) });
      expect(await assetCount()).toBe(before);
      expect(strayFiles()).toEqual([]);
    },
    60_000,
  );

  it('reports exact and near duplicates (default rule set: warn), not different photos', async () => {
    const astronaut = photo('astronaut.jpg');
    const first = await upload(astronaut, 'astronaut.jpg').expect(201);
    await stored(first.body.id);

    const again = await upload(astronaut, 'astronaut-copy.jpg').expect(201);
    expect(again.body.id).not.toBe(first.body.id);
    expect(again.body.duplicates[0]).toEqual({
      assetId: first.body.id,
      version: 1,
      ruleSet: 'default',
      kind: 'exact',
      similarity: 1,
      distance: 0,
    });

    const smaller = await sharp(astronaut).resize(256).webp({ quality: 70 }).toBuffer();
    const near = await upload(smaller, 'astronaut-small.webp').expect(201);
    expect(near.body.duplicates).toContainEqual(
      expect.objectContaining({ assetId: first.body.id, kind: 'near', similarity: expect.any(Number) }),
    );
    const match = near.body.duplicates.find((d: { assetId: string }) => d.assetId === first.body.id);
    expect(match.similarity).toBeGreaterThanOrEqual(0.95);

    const other = await upload(photo('rocket.jpg'), 'rocket.jpg').expect(201);
    expect(other.body.duplicates).toEqual([]);
  });

  it('blocks a duplicate when the rule set says block (luxury), keeping nothing', async () => {
    const chelsea = photo('chelsea.jpg');
    const first = await upload(chelsea, 'chelsea.jpg', { ruleSet: 'luxury' }).expect(201);
    const before = await assetCount();
    const res = await upload(chelsea, 'chelsea-again.jpg', { ruleSet: 'luxury' }).expect(409);
    expect(res.body.error).toMatchObject({
      code: 'DUPLICATE_ASSET',
      details: { matches: [expect.objectContaining({ assetId: first.body.id, kind: 'exact' })] },
    });
    expect(await assetCount()).toBe(before);
    expect(strayFiles()).toEqual([]);
  });

  it('links an exact duplicate as a new version when the rule set says so (ecommerce), and renames to the convention', async () => {
    const metadata = JSON.stringify({ brand: 'MuseDAM', sku: 'MD-20250', purpose: 'main' });
    const bytes = photo('ihc.jpg');
    const first = await upload(bytes, 'IMG_0001.jpg', { ruleSet: 'ecommerce', metadata }).expect(201);
    expect(first.body.renamedFrom).toBe('IMG_0001.jpg');
    expect(first.body.name).toMatch(/^MuseDAM_MD-20250_main_V1_\d{8}\.jpg$/);
    await stored(first.body.id);

    const second = await upload(bytes, 'IMG_0002.jpg', { ruleSet: 'ecommerce', metadata }).expect(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.linkedAsVersion).toBe(2);
    expect(second.body.latestVersion.version).toBe(2);
  });

  it('refuses a name that breaks a reject convention (automotive), saying what it should be', async () => {
    const res = await upload(photo('coins.jpg'), 'photo.jpg', {
      ruleSet: 'automotive',
      metadata: JSON.stringify({ modelCode: 'X5M', partNumber: '12345-AB1', modelYear: 2026 }),
    }).expect(422);
    expect(res.body.error).toMatchObject({
      code: 'NAME_NONCOMPLIANT',
      details: { filename: 'photo.jpg', expected: '{modelCode}_{partNumber}_MY{modelYear}_V{version}.{ext}' },
    });
  });
});
