import type { AssetKindName } from './asset';

const BY_EXTENSION: Record<string, AssetKindName> = {
  step: 'cad',
  stp: 'cad',
  iges: 'cad',
  igs: 'cad',
  dwg: 'cad',
  dxf: 'cad',
  catpart: 'cad',
  sldprt: 'cad',
  prt: 'cad',
  stl: 'cad',
  mp4: 'video',
  mov: 'video',
  m4v: 'video',
  webm: 'video',
  avi: 'video',
  mkv: 'video',
  pdf: 'document',
  doc: 'document',
  docx: 'document',
  ppt: 'document',
  pptx: 'document',
  xls: 'document',
  xlsx: 'document',
  txt: 'document',
};

/**
 * The kind of an asset: an image when its bytes decode as one, otherwise from the file
 * extension (CAD, video, document), otherwise generic.
 */
export function assetKindOf(name: string, decodedAsImage: boolean): AssetKindName {
  if (decodedAsImage) return 'image';
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || 'generic';
}
