import { addDuration, checkName, parseDuration } from '../../../rules';
import { parseNamingTemplate } from '../../../rules/naming';

describe('durations', () => {
  it('parses ISO-8601 durations and refuses others', () => {
    expect(parseDuration('P15Y6M')).toMatchObject({ years: 15, months: 6 });
    expect(parseDuration('PT12H')).toMatchObject({ hours: 12 });
    expect(parseDuration('3 years')).toBeUndefined();
    expect(parseDuration('P')).toBeUndefined();
  });

  it('adds calendar years and months, clamping the day', () => {
    expect(addDuration('2025-03-08T00:00:00.000Z', 'P3Y')).toBe('2028-03-08T00:00:00.000Z');
    expect(addDuration('2024-02-29T12:00:00.000Z', 'P1Y')).toBe('2025-02-28T12:00:00.000Z');
    expect(addDuration('2026-01-31T00:00:00.000Z', 'P1M')).toBe('2026-02-28T00:00:00.000Z');
    expect(addDuration('2026-03-01T09:00:00.000Z', 'P7DT3H')).toBe('2026-03-08T12:00:00.000Z');
    expect(addDuration('2030-06-30T00:00:00.000Z', 'P15Y')).toBe('2045-06-30T00:00:00.000Z');
  });
});

describe('naming conventions', () => {
  const { tokens } = parseNamingTemplate('{brand}_{line}_{purpose}_V{version}_{date:YYYYMMDD}.{ext}');
  const context = {
    metadata: { brand: 'MuseDAM', line: '春季新品', purpose: '主图' },
    version: 3,
    date: '2025-03-08T10:00:00Z',
    ext: 'jpg',
  };

  it('accepts a Unicode name that follows the template and agrees with the metadata', () => {
    expect(checkName(tokens, 'MuseDAM_春季新品_主图_V3_20250308.jpg', context)).toEqual({ ok: true });
  });

  it('refuses a name whose values disagree with the metadata, and suggests the right one', () => {
    const verdict = checkName(tokens, 'MuseDAM_春季新品_主图_V2_20250308.jpg', context);
    expect(verdict).toMatchObject({ ok: false, suggestion: 'MuseDAM_春季新品_主图_V3_20250308.jpg' });
  });

  it('suggests a name for a camera file name, or lists what is missing to build one', () => {
    expect(checkName(tokens, 'IMG_0042.jpg', context)).toMatchObject({
      ok: false,
      suggestion: 'MuseDAM_春季新品_主图_V3_20250308.jpg',
      missing: [],
    });
    expect(checkName(tokens, 'IMG_0042.jpg', { ...context, metadata: { brand: 'MuseDAM' } })).toMatchObject({
      ok: false,
      missing: ['line', 'purpose'],
    });
  });
});
