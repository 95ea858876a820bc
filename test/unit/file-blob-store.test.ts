import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileBlobStore } from '../../blobstore/file-blob-store';

/** What only the file-system store does; what every store promises is in test/integration/blob-store-contract.test.ts. */
describe('FileBlobStore', () => {
  const root = () => mkdtempSync(path.join(os.tmpdir(), 'assetflow-blobs-'));
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('names a blob by the sha256 of its bytes and makes it visible only on commit', async () => {
    const store = new FileBlobStore(root());
    const bytes = Buffer.from('主图 bytes');
    const pending = await store.write(Readable.from([bytes]));
    expect(pending.sha256).toBe(sha(bytes));
    expect(pending.sizeBytes).toBe(bytes.length);
    expect(await store.exists(pending.sha256)).toBe(false);
    await pending.commit();
    expect(await store.exists(pending.sha256)).toBe(true);
    expect(readFileSync(store.pathOf(pending.sha256))).toEqual(bytes);
    expect(store.pathOf(pending.sha256)).toContain(
      path.join('hot', pending.sha256.slice(0, 2), pending.sha256.slice(2, 4)),
    );
  });

  it('discard leaves nothing behind, and a failing stream leaves no temporary file', async () => {
    const store = new FileBlobStore(root());
    const pending = await store.write(Readable.from([Buffer.from('x')]));
    await pending.discard();
    expect(await store.exists(pending.sha256)).toBe(false);

    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await expect(store.write(failing)).rejects.toThrow('client went away');
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
  });

  it('refuses a name that is not a sha256 digest (no path tricks)', () => {
    const store = new FileBlobStore(root());
    expect(() => store.pathOf('../../etc/passwd')).toThrow('not a sha256');
  });

  it('sweeps what a killed writer left (old temporaries, partial renditions), not live files', async () => {
    const store = new FileBlobStore(root());
    const kept = await store.write(Readable.from([Buffer.from('kept')]));
    await kept.commit();
    const rendition = await store.writeRendition(kept.sha256, 'thumb-1', Buffer.from('thumbnail'));
    const abandoned = await store.write(Readable.from([Buffer.from('upload killed mid-request')]));
    const partial = `${store.renditionPath(kept.sha256, 'thumb-2')}.dead.partial`;
    writeFileSync(partial, 'half a rendition');
    const young = await store.write(Readable.from([Buffer.from('upload still running')]));
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(abandoned.path, hourAgo, hourAgo);
    utimesSync(partial, hourAgo, hourAgo);

    expect(await store.sweepAbandoned(10 * 60_000)).toBe(2);
    expect(existsSync(abandoned.path)).toBe(false);
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(young.path)).toBe(true);
    expect(existsSync(rendition)).toBe(true);
    expect(await store.exists(kept.sha256)).toBe(true);
  });

  it('sweeps the temporaries of writers that are gone whatever their age, never those of a live writer', async () => {
    const dir = root();
    const alive = new Set(['host~1~10']);
    const isRunning = (tag: string) => (tag.startsWith('host~') ? alive.has(tag) : undefined);
    const dead = new FileBlobStore(dir, undefined, { tag: 'host~2~20', isRunning });
    const live = new FileBlobStore(dir, undefined, { tag: 'host~1~10', isRunning });
    const cutOff = await dead.write(Readable.from([Buffer.from('the writer was killed a second ago')]));
    const running = await live.write(Readable.from([Buffer.from('still being written')]));
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(running.path, hourAgo, hourAgo); // old, but its writer runs: a slow upload

    expect(await live.sweepAbandoned(10 * 60_000)).toBe(1);
    expect(existsSync(cutOff.path)).toBe(false);
    expect(existsSync(running.path)).toBe(true);
    expect(path.basename(running.path).startsWith('host~1~10_')).toBe(true);
  });

  it('keeps the cold tier under its own root when given one (another disk)', async () => {
    const hot = root();
    const cold = root();
    const store = new FileBlobStore(hot, cold);
    const pending = await store.write(Readable.from([Buffer.from('archive me')]));
    await pending.commit();
    await store.moveTier(pending.sha256, 'hot', 'cold');
    expect(store.pathOf(pending.sha256, 'cold').startsWith(cold)).toBe(true);
    expect(readFileSync(store.pathOf(pending.sha256, 'cold'), 'utf8')).toBe('archive me');
    expect(await store.exists(pending.sha256, 'hot')).toBe(false);
  });
});
