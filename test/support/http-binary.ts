import type { Test } from 'supertest';

/** Makes supertest collect any response body (zip, image) into a Buffer at `res.body`. */
export function asBuffer(test: Test): Test {
  return test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}
