/**
 * What ingest learns about a file, as plain types: colours, embedded metadata, video facts, tags
 * and text. They live here, at the bottom, because the domain's `VersionAnalysis` is made of them;
 * imaging/ and tagging/ compute them and re-export them under their old names.
 */

export type BasicColour =
  | 'black'
  | 'white'
  | 'grey'
  | 'red'
  | 'orange'
  | 'yellow'
  | 'green'
  | 'blue'
  | 'purple'
  | 'pink'
  | 'brown';

/** One colour of an image's dominant palette. */
export interface PaletteColour {
  hex: string;
  /** Share of the image's pixels nearest to this colour (0–1). */
  share: number;
  name: { en: string; zh: string };
  family: BasicColour;
}

export interface ColourTone {
  temperature: 'warm' | 'cool' | 'neutral';
  brightness: 'bright' | 'medium' | 'dark';
}

export interface BrandColourCheck {
  ok: boolean;
  maxDeltaE: number;
  /** Each chromatic dominant colour with its nearest brand colour and the measured ΔE00. */
  colours: { hex: string; share: number; nearest: string; deltaE: number; ok: boolean }[];
}

export interface ColourAnalysis {
  palette: PaletteColour[];
  tone: ColourTone;
}

/**
 * What the file says about itself (EXIF, IPTC, XMP), normalised to the fields a DAM user searches
 * and filters by. Absent fields are left out; nothing here is trusted for access decisions.
 */
export interface EmbeddedMetadata {
  creator?: string;
  copyright?: string;
  title?: string;
  description?: string;
  keywords?: string[];
  /** ISO-8601, from DateTimeOriginal (or CreateDate) as the camera wrote it. */
  capturedAt?: string;
  camera?: string;
  lens?: string;
  software?: string;
  gps?: { latitude: number; longitude: number };
}

export interface VideoFacts {
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
}

/** A tag on a version, with where it came from and how sure its source is. */
export interface Tag {
  name: string;
  /** `ai`: a model; `rule`: derived from measurable facts (aspect, colours); `user`: a person wrote it (incl. IPTC keywords). */
  source: 'ai' | 'rule' | 'user';
  /** 0–1; 1 for facts and for what people wrote. */
  confidence: number;
}

/** A line of text found in an image, with the recogniser's mean confidence (0–1). */
export interface TextLine {
  text: string;
  confidence: number;
}
