import { BASIC_COLOUR_NAMES } from '../imaging/colour-names';
import type { Tag, Tagger, TaggingInput } from './tagger';

/** Tags in English and Chinese, so either language's search finds them. */
function both(en: string, zh: string, source: Tag['source'], confidence = 1): Tag[] {
  return [
    { name: en, source, confidence },
    { name: zh, source, confidence },
  ];
}

/**
 * Shape and kind from measurable facts: orientation from the aspect ratio, `banner` for very wide
 * images, `photo` for camera JPEGs, `graphic` for images with transparency, `video` / `document`.
 */
export const formatTagger: Tagger = {
  name: 'format',
  async tag({ mediaType, image, embedded }: TaggingInput): Promise<Tag[]> {
    if (mediaType.startsWith('video/')) return both('video', '视频', 'rule');
    if (mediaType === 'application/pdf') return both('document', '文档', 'rule');
    if (!image) return [];
    const tags: Tag[] = both('image', '图片', 'rule');
    const aspect = image.width / image.height;
    if (aspect >= 2.5) tags.push(...both('banner', '横幅', 'rule'));
    else if (aspect > 1.1) tags.push(...both('landscape', '横版', 'rule'));
    else if (aspect < 0.9) tags.push(...both('portrait', '竖版', 'rule'));
    else tags.push(...both('square', '方图', 'rule'));
    if (aspect <= 0.75 && image.height >= 1000) tags.push(...both('poster', '海报', 'rule', 0.6));
    if (embedded.camera || (image.format === 'jpeg' && embedded.capturedAt))
      tags.push(...both('photo', '照片', 'rule', 0.9));
    if (image.hasAlpha) tags.push(...both('graphic', '图形', 'rule', 0.7));
    return tags;
  },
};

/** Colour families with at least 10 % of the image, and the tone (warm/cool, bright/dark). */
export const colourTagger: Tagger = {
  name: 'colours',
  needs: 'colours',
  async tag({ colours }: TaggingInput): Promise<Tag[]> {
    if (!colours) return [];
    const tags: Tag[] = [];
    for (const colour of colours.palette.filter((c) => c.share >= 0.1)) {
      const family = BASIC_COLOUR_NAMES[colour.family];
      tags.push(...both(family.en, family.zh, 'rule', Math.min(1, 0.5 + colour.share)));
    }
    const { temperature, brightness } = colours.tone;
    if (temperature === 'warm') tags.push(...both('warm tones', '暖色调', 'rule', 0.8));
    if (temperature === 'cool') tags.push(...both('cool tones', '冷色调', 'rule', 0.8));
    if (brightness === 'bright') tags.push(...both('bright', '明亮', 'rule', 0.8));
    if (brightness === 'dark') tags.push(...both('dark', '暗调', 'rule', 0.8));
    return tags;
  },
};

/** Keywords the creator embedded (IPTC/XMP): a person wrote them, so they are `user` tags. */
export const keywordTagger: Tagger = {
  name: 'keywords',
  needs: 'exif',
  async tag({ embedded }: TaggingInput): Promise<Tag[]> {
    return (embedded.keywords ?? []).map((name) => ({ name, source: 'user', confidence: 1 }));
  },
};

/** Taggers that derive tags from measured facts alone (no model). */
export function ruleTaggers(): Tagger[] {
  return [formatTagger, colourTagger, keywordTagger];
}
