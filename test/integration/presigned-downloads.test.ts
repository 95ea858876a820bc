import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { asBuffer } from '../support/http-binary';
import { makeJpeg } from '../support/images';
import { testS3Server } from '../support/test-env';
import { readZip } from '../support/zip';

/**
 * `blobs.s3.downloads: presigned`: a download is answered with a 303 to a short-lived URL of the
 * real S3 server, which serves the bytes as an attachment with the recipient-facing name and the
 * detected type; the download is in the trail all the same; the URL dies after its seconds; a
 * preview (inline), a share link's download and a zip are still streamed by the API.
 */
describe('downloads handed to the object store', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('embedded', {
      blobs: 's3',
      config: { blobs: { s3: { downloads: 'presigned', presignedSeconds: 2 } } as never },
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('sends originals and renditions to a presigned URL of the store, records them, and lets the URL expire', async () => {
    const jpeg = await makeJpeg(640, 480, [30, 120, 200]);
    const made = await harness.http.post('/api/assets').attach('file', jpeg, '新品 poster.jpg').expect(201);
    const stored = await waitUntilStored(harness, made.body.id);
    const id = stored.id as string;

    const original = await harness.http
      .get(`/api/assets/${id}/renditions/original?audience=everyone`)
      .expect(303);
    const url = original.headers.location as string;
    expect(url.startsWith(`${testS3Server().endpoint}/`)).toBe(true);
    expect(original.headers['cache-control']).toBe('private, no-store');
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    expect(fetched.headers.get('content-disposition')).toBe(
      `attachment; filename="?? poster.jpg"; filename*=UTF-8''%E6%96%B0%E5%93%81%20poster.jpg`,
    );
    const bytes = Buffer.from(await fetched.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.latestVersion.sha256);

    const preview = await harness.http
      .get(`/api/assets/${id}/renditions/preview?audience=everyone`)
      .expect(303);
    const rendition = await fetch(preview.headers.location as string);
    expect(rendition.status).toBe(200);
    expect(await sharp(Buffer.from(await rendition.arrayBuffer())).metadata()).toMatchObject({
      format: 'jpeg',
      width: 640,
    });

    // Inline is streamed by the API with its own headers (CSP sandbox), not handed off.
    const inline = await asBuffer(
      harness.http.get(`/api/assets/${id}/renditions/preview?audience=everyone&inline=true`),
    ).expect(200);
    expect(inline.headers['content-security-policy']).toContain('sandbox');

    const trail = await harness.http.get(`/api/assets/${id}/trail`).expect(200);
    const actions = (trail.body.events as Array<{ action: string; rendition?: string }>).map(
      (e) => `${e.action}:${e.rendition}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['download:original', 'download:preview', 'viewed:preview']),
    );

    // A share link's download is streamed: a URL of the store could be used again past the
    // link's download count and revocation.
    const link = await harness.http
      .post('/api/shares')
      .send({ assetIds: [id], permission: 'download', rendition: 'original' })
      .expect(201);
    const token = (link.body.url as string).split('/s/')[1]!;
    const shared = await asBuffer(harness.http.post(`/s/${token}/download`)).expect(200);
    expect(
      createHash('sha256')
        .update(shared.body as Buffer)
        .digest('hex'),
    ).toBe(stored.latestVersion.sha256);

    // A link of several is one zip, streamed by the API: the originals read from the bucket.
    const second = await harness.http
      .post('/api/assets')
      .attach('file', await makeJpeg(320, 200), 'second.jpg');
    const secondStored = await waitUntilStored(harness, second.body.id);
    const pair = await harness.http
      .post('/api/shares')
      .send({ assetIds: [id, secondStored.id], permission: 'download', rendition: 'original' })
      .expect(201);
    const zip = await asBuffer(
      harness.http.post(`/s/${(pair.body.url as string).split('/s/')[1]}/download`),
    ).expect(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const entries = await readZip(zip.body as Buffer);
    const digests = [...entries.values()].map((b) => createHash('sha256').update(b).digest('hex')).sort();
    expect(digests).toEqual([stored.latestVersion.sha256, secondStored.latestVersion.sha256].sort());

    // Two seconds later the URL no longer opens.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await fetch(url)).status).toBe(403);
  }, 60_000);
});
