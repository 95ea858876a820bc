import type { AuditRepository } from '../catalogue/audit.repository';
import type { AuditEvent } from '../catalogue/audit-event';
import { extractWatermark } from '../imaging/watermark';

export type TraceResult =
  | { found: true; payload: string; confidence: number; events: AuditEvent[] }
  | { found: false; confidence: number; message: string; payload?: string };

/**
 * Who leaked it: reads the invisible watermark of a suspect image (blind, no original needed) and
 * finds the distribution events that sent a copy marked with that payload — who received it,
 * when, through which link, from which address.
 */
export class TraceService {
  constructor(private readonly deps: { audit: AuditRepository; maxImagePixels: number }) {}

  async trace(image: Buffer): Promise<TraceResult> {
    const read = await extractWatermark(image, this.deps.maxImagePixels);
    const confidence = Math.round(read.confidence * 1000) / 1000;
    if (read.payload === null) return { found: false, confidence, message: 'No watermark found.' };
    const payload = read.payload.toString(16).padStart(10, '0');
    const events = await this.deps.audit.byWatermark(payload);
    if (events.length === 0) {
      return {
        found: false,
        confidence,
        payload,
        message: 'A watermark was read, but no distribution used it.',
      };
    }
    return { found: true, payload, confidence, events };
  }
}
