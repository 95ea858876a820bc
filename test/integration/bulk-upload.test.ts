import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { bulkUpload } from '../../bin/bulk-upload';
import { type Harness, startHarness, waitUntilStored } from '../support/harness';
import { makeJpeg } from '../support/images';
import { serve } from '../support/serve';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', '..', 'bin', 'assetflow.js');

/**
 * `assetflow upload` in its own process against a listening server: a directory tree in, what is
 * stored already skipped by sha256 on the next run, refusals reported per file, the token's
 * owner as the uploader, and the lookup it relies on naming only what the caller may see.
 */
describe('bulk upload from the command line (embedded)', () => {
  let harness: Harness;
  let server: { url: string; close(): Promise<void> };
  let imp: { Authorization: string };
  let library: string;

  beforeAll(async () => {
    harness = await startHarness('embedded');
    server = await serve(harness);
    imp = await harness.as('imp', 'editor');
    library = mkdtempSync(path.join(os.tmpdir(), 'library-'));
    mkdirSync(path.join(library, 'summer', 'beach'), { recursive: true });
    writeFileSync(path.join(library, 'a-poster.jpg'), await makeJpeg(640, 480, [200, 40, 40]));
    writeFileSync(path.join(library, 'summer', 'b-banner.jpg'), await makeJpeg(800, 300, [40, 200, 40]));
    writeFileSync(
      path.join(library, 'summer', 'beach', 'c-sand.jpg'),
      await makeJpeg(500, 500, [200, 190, 120]),
    );
    // The same bytes under another name: uploaded once.
    copyFileSync(path.join(library, 'a-poster.jpg'), path.join(library, 'summer', 'a-poster-copy.jpg'));
    // Not an image at all: refused by the server, reported, the rest goes on.
    writeFileSync(path.join(library, 'notes.jpg'), 'not a picture');
    // Hidden files are not part of the library.
    writeFileSync(path.join(library, '.DS_Store'), 'finder');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await harness?.close();
  });

  const upload = (...args: string[]) =>
    run(process.execPath, [CLI, 'upload', library, '--url', server.url, ...args], {
      env: { ...process.env, ASSETFLOW_TOKEN: imp.Authorization.replace('Bearer ', '') },
    }).then(
      (out) => ({ code: 0, stdout: out.stdout, stderr: out.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  /** The catalogue's assets: name, project, rule set and who uploaded them. */
  const catalogue = () =>
    harness.storage.database.db
      .selectFrom('assets as a')
      .innerJoin('asset_versions as v', 'v.asset_id', 'a.id')
      .select(['a.id', 'a.display_name', 'a.project', 'a.rule_set', 'v.created_by', 'v.blob_sha256'])
      .orderBy('a.display_name')
      .execute();
  const assetsNamed = async () => (await catalogue()).map((a) => a.display_name);

  it('uploads a tree, then skips what is stored when run again, and reports what was refused', async () => {
    const first = await upload();
    expect(first.stdout).toContain('5 files to');
    expect(first.stdout).toContain('Stored 3, already stored 0, copies of another file 1, refused 1.');
    expect(first.stderr).toMatch(/refused {2}.*notes\.jpg: FILE_\w+/);
    expect(first.code).toBe(1);
    expect(await assetsNamed()).toEqual(['a-poster.jpg', 'b-banner.jpg', 'c-sand.jpg']);

    // Run again (as after an interruption): nothing is uploaded twice (the copy's bytes are stored now).
    const second = await upload();
    expect(second.stdout).toContain('Stored 0, already stored 4, copies of another file 0, refused 1.');
    expect(await assetsNamed()).toEqual(['a-poster.jpg', 'b-banner.jpg', 'c-sand.jpg']);

    // A file added to the library is the only one sent; the rule set and project flags reach the server.
    writeFileSync(path.join(library, 'summer', 'd-new.jpg'), await makeJpeg(300, 200, [10, 10, 200]));
    const third = await upload('--rule-set', 'default', '--project', 'default', '--concurrency', '2');
    expect(third.stdout).toContain('Stored 1, already stored 4, copies of another file 0, refused 1.');
    const added = (await catalogue()).find((a) => a.display_name === 'd-new.jpg')!;
    await waitUntilStored(harness, added.id);
    expect(added).toMatchObject({
      project: 'default',
      rule_set: 'default',
      created_by: expect.stringMatching(/^imp@/),
    });
  }, 180_000);

  it('refuses to start without a token, and a wrong token before uploading anything', async () => {
    const none = await run(process.execPath, [CLI, 'upload', library, '--url', server.url], {
      env: { ...process.env, ASSETFLOW_TOKEN: '' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining('ASSETFLOW_TOKEN') });
    const wrong = await run(
      process.execPath,
      [CLI, 'upload', library, '--url', server.url, '--token', 'af_wrong'],
      {
        env: process.env,
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('refused the lookup (401)');
  }, 60_000);

  it('a token with a line break in it is refused without being echoed', async () => {
    const broken = await run(process.execPath, [CLI, 'upload', library, '--url', server.url], {
      env: { ...process.env, ASSETFLOW_TOKEN: 'af_secretpart\nrest' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('line breaks');
    expect(broken.stderr).not.toContain('secretpart');
  }, 60_000);

  it('a file gone between listing and hashing is reported; the others are stored', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'vanishing-'));
    const kept = path.join(folder, 'h-kept.jpg');
    writeFileSync(kept, await makeJpeg(310, 310, [10, 250, 120]));
    const gone = path.join(folder, 'h-gone.jpg');
    const report = await bulkUpload([gone, kept], {
      url: server.url,
      token: imp.Authorization.replace('Bearer ', ''),
      concurrency: 2,
    });
    expect(report).toMatchObject({
      stored: 1,
      refused: [{ file: gone, status: 0, code: 'UNREADABLE', message: expect.stringContaining('ENOENT') }],
    });
    expect(await assetsNamed()).toContain('h-kept.jpg');
  }, 60_000);

  it('--watch uploads files as they appear, once each has stopped changing, and stops on SIGINT', async () => {
    const inbox = mkdtempSync(path.join(os.tmpdir(), 'inbox-'));
    writeFileSync(path.join(inbox, 'e-first.jpg'), await makeJpeg(300, 300, [250, 120, 0]));
    const child = spawn(
      process.execPath,
      [CLI, 'upload', inbox, '--url', server.url, '--watch', '--interval', '1'],
      {
        env: { ...process.env, ASSETFLOW_TOKEN: imp.Authorization.replace('Bearer ', '') },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const printed = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while ((stdout.match(/Stored 1,/g) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`not printed in time; output so far:\n${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await printed(1); // what was there at the start
      writeFileSync(path.join(inbox, 'f-later.jpg'), await makeJpeg(300, 300, [0, 120, 250]));
      await printed(2); // the file added while watching
      expect(await assetsNamed()).toEqual(expect.arrayContaining(['e-first.jpg', 'f-later.jpg']));
      // Scans go on without sending anything again.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect((stdout.match(/Stored/g) ?? []).length).toBe(2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 120_000);

  it('an upload whose answer is lost on the way is looked up, not sent again', async () => {
    // A proxy that delivers the first upload to the server, waits for the server's answer, and
    // then drops the connection instead of passing the answer on.
    let dropped = 0;
    const proxy = http.createServer((req, res) => {
      const target = new URL(req.url!, server.url);
      const forward = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
        if (req.method === 'POST' && target.pathname === '/api/assets' && dropped === 0) {
          dropped += 1;
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const folder = mkdtempSync(path.join(os.tmpdir(), 'lossy-'));
    writeFileSync(path.join(folder, 'g-once.jpg'), await makeJpeg(420, 420, [120, 60, 200]));
    try {
      const out = await run(process.execPath, [CLI, 'upload', folder, '--url', proxyUrl], {
        env: { ...process.env, ASSETFLOW_TOKEN: imp.Authorization.replace('Bearer ', '') },
      });
      expect(dropped).toBe(1);
      expect(out.stdout).toContain('Stored 1, already stored 0, copies of another file 0, refused 0.');
      expect((await assetsNamed()).filter((name) => name === 'g-once.jpg')).toEqual(['g-once.jpg']);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 60_000);

  it('the lookup names only the assets the caller may see', async () => {
    const poster = (await catalogue()).find((a) => a.display_name === 'a-poster.jpg')!;
    const mine = await request(harness.app)
      .post('/api/assets/lookup')
      .set(imp)
      .send({ sha256: [poster.blob_sha256, 'f'.repeat(64)] })
      .expect(200);
    expect(mine.body.found).toEqual([{ sha256: poster.blob_sha256, assetId: poster.id, version: 1 }]);
    // A file in a project the importer has no grant on: not named to them, named to its owner.
    await harness.http.post('/api/projects').send({ id: 'vault', name: 'Vault' }).expect(201);
    const secret = await harness.http
      .post('/api/assets?project=vault')
      .attach('file', await makeJpeg(320, 320, [90, 0, 90]), 'secret.jpg')
      .expect(201);
    const secretSha = (await catalogue()).find((a) => a.id === secret.body.id)!.blob_sha256;
    const theirs = await request(harness.app)
      .post('/api/assets/lookup')
      .set(imp)
      .send({ sha256: [secretSha] });
    expect(theirs.status).toBe(200);
    expect(theirs.body.found).toEqual([]);
    const owners = await harness.http
      .post('/api/assets/lookup')
      .send({ sha256: [secretSha] })
      .expect(200);
    expect(owners.body.found).toEqual([{ sha256: secretSha, assetId: secret.body.id, version: 1 }]);
    const bad = await request(harness.app)
      .post('/api/assets/lookup')
      .set(imp)
      .send({ sha256: ['ABC'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
