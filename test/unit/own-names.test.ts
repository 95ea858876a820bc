import { ZipFile } from 'yazl';
import { own } from '../../domain/own';
import { nameMismatch } from '../../imaging/detect-media-type';
import { zipEntryName } from '../../services/distribution.service';

/** Names that come from outside (security review L6, L13). */
describe('names from outside', () => {
  it('L13: a name that is a key of Object.prototype is unknown, not a function', () => {
    const renditions = { thumbnail: { width: 320 } };
    expect(own(renditions, 'constructor')).toBeUndefined();
    expect(own(renditions, '__proto__')).toBeUndefined();
    expect(own(renditions, 'thumbnail')).toEqual({ width: 320 });
    expect(nameMismatch('x.constructor', { mediaType: 'image/jpeg', extension: 'jpg' })).toBeNull();
  });

  it('L6: zip entry names lose drive letters, separators and control characters, and yazl takes them', () => {
    const used = new Set<string>();
    const names = ['C:x.jpg', 'a/b\\\\c.jpg', 'bell\u0007.jpg', '..hidden.jpg', 'C:x.jpg'].map((n) =>
      zipEntryName(n, used),
    );
    expect(names).toEqual(['C_x.jpg', 'a_b__c.jpg', 'bell_.jpg', '_hidden.jpg', 'C_x (2).jpg']);
    const zip = new ZipFile();
    for (const name of names) expect(() => zip.addBuffer(Buffer.from('x'), name)).not.toThrow();
    // The name as an uploader gave it is what yazl refuses.
    expect(() => new ZipFile().addBuffer(Buffer.from('x'), 'C:x.jpg')).toThrow(/absolute/);
  });
});
