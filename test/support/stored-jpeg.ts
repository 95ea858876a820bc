import { type Harness, waitUntilStored } from './harness';
import { makeJpeg } from './images';

/** Uploads a 320×240 JPEG of one colour as the harness administrator and waits until it is stored. */
export async function uploadStoredJpeg(
  harness: Harness,
  name: string,
  rgb: [number, number, number],
): Promise<string> {
  const res = await harness.http
    .post('/api/assets')
    .attach('file', await makeJpeg(320, 240, rgb), name)
    .expect(201);
  await waitUntilStored(harness, res.body.id);
  return res.body.id as string;
}
