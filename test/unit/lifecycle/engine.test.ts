import { applyEvent, nextWake } from '../../../lifecycle/engine';
import { ENGINE_REVISION, type EngineState, type LifecycleEvent } from '../../../lifecycle/model';
import { newAssetState, resumeState, TIMELINE_KEPT } from '../../../lifecycle/state';
import { refusalOf } from '../../../lifecycle/transition-table';
import { freshAsset, IMAGE as image, examplePlan as planOf, play, T0 } from '../../support/engine-play';

const luxury = planOf('luxury');
const fresh = (metadata: Record<string, unknown> = {}) => freshAsset('luxury', metadata);
const stored = (metadata: Record<string, unknown> = {}) =>
  play(luxury, fresh(metadata), [{ type: 'ingested', version: 1, findings: image }]);

describe('the lifecycle engine', () => {
  it('starts an upload with its first effects: record `created`, then ingest version 1', () => {
    expect(fresh().outbox.map((e) => e.type)).toEqual(['record-transition', 'ingest']);
  });

  it('keeps an asset archived while its first ingest ran archived (quality review §4.5)', () => {
    const s = play(luxury, fresh(), [
      { type: 'archive', by: 'ann' },
      { type: 'ingested', version: 1, findings: image },
    ]);
    expect(s.state).toBe('archived');
    expect(s.timeline.map((t) => `${t.from}→${t.to}`)).toEqual(['null→created', 'created→archived']);
    expect(s.asset).toMatchObject({ kind: 'image', width: 10 });
  });

  it('refuses what the state does not allow, with the code the API reports', () => {
    const purged = { ...stored(), state: 'purged' as const };
    const cases: [EngineState, LifecycleEvent, string][] = [
      [purged, { type: 'unfreeze', by: 'ann' }, 'ASSET_PURGED'],
      [stored(), { type: 'restore', by: 'ann' }, 'NOT_ARCHIVED'],
      [
        play(luxury, stored(), [{ type: 'archive', by: 'ann' }]),
        { type: 'archive', by: 'ann' },
        'ALREADY_ARCHIVED',
      ],
      [
        play(luxury, stored(), [{ type: 'archive', by: 'ann' }]),
        {
          type: 'request-download',
          by: 'ann',
          roles: ['employee'],
          audience: 'internal',
          rendition: 'proof',
        },
        'ASSET_ARCHIVED',
      ],
      [stored(), { type: 'set-metadata', by: 'ann', set: { eventDate: 'someday' } }, 'METADATA_INVALID'],
      [stored(), { type: 'set-metadata', by: 'ann', set: { nonsense: 1 } }, 'UNKNOWN_FIELD'],
      [stored(), { type: 'freeze', by: 'mia', roles: ['brand-manager'], reason: ' ' }, 'REASON_REQUIRED'],
      [stored(), { type: 'legal-hold', by: 'ann', roles: [], on: true, reason: 'x' }, 'NOT_ELIGIBLE'],
      [stored(), { type: 'start-flow', by: 'ann', flow: 'hi-res-download' }, 'FLOW_UNKNOWN'],
    ];
    for (const [s, event, code] of cases)
      expect([event.type, refusalOf(s, event, luxury, T0)?.code]).toEqual([event.type, code]);
  });

  it('refuses to restore an expired asset whose validity date has passed, and restores once it is later', () => {
    let s = stored({ scenario: 'event', eventDate: '2026-03-05T00:00:00.000Z' });
    s = play(luxury, s, [{ type: 'time' }], '2026-03-13T00:00:00.000Z');
    expect(s.state).toBe('expired');
    expect(refusalOf(s, { type: 'restore', by: 'ann' }, luxury, '2026-03-14T00:00:00.000Z')?.code).toBe(
      'VALIDITY_PASSED',
    );
    s = play(
      luxury,
      s,
      [
        { type: 'set-metadata', by: 'ann', set: { eventDate: '2026-05-01T00:00:00.000Z' } },
        { type: 'restore', by: 'ann' },
      ],
      '2026-03-14T00:00:00.000Z',
    );
    expect(s.state).toBe('stored');
    expect(nextWake(s, luxury, '2026-03-14T00:00:00.000Z')).toBe('2026-05-08T00:00:00.000Z');
  });

  it('records freeze, legal hold, metadata, delisting and migration in the timeline, with who', () => {
    const s = play(luxury, stored(), [
      { type: 'freeze', by: 'mia', roles: ['brand-manager'], reason: 'campaign paused' },
      { type: 'unfreeze', by: 'mia', roles: ['brand-manager'] },
      { type: 'legal-hold', by: 'lea', roles: ['legal'], on: true, reason: 'claim' },
      { type: 'set-metadata', by: 'ann', set: { campaign: 'SS27' } },
      { type: 'mark-event', by: 'ann', event: 'delisting' },
      { type: 'migrate', by: 'admin', version: 2, plan: luxury },
    ]);
    expect(s.timeline.slice(2).map((t) => [t.event, t.by])).toEqual([
      ['frozen', 'mia'],
      ['unfrozen', 'mia'],
      ['legal-hold-set', 'lea'],
      ['metadata-changed', 'ann'],
      ['delisted', 'ann'],
      ['archived', 'ann'],
      ['migrated', 'admin'],
    ]);
    expect(s.timeline.find((t) => t.event === 'metadata-changed')?.reason).toBe('campaign: — → "SS27"');
  });

  it('bounds what it carries: the latest timeline entries, numbered on', () => {
    let s = stored();
    for (let i = 0; i < 120; i++)
      s = play(luxury, s, [{ type: 'set-metadata', by: 'ann', set: { campaign: `c${i}` } }]);
    expect(s.timeline).toHaveLength(TIMELINE_KEPT);
    expect(s.timeline.at(-1)?.seq).toBe(122);
  });

  it('carries its outbox across continue-as-new, and resumes a state carried by the previous workflow', () => {
    const s = play(luxury, stored(), [
      {
        type: 'add-version',
        by: 'ann',
        sha256: 'ab',
        sizeBytes: 1,
        originalName: 'v2.jpg',
        declaredMediaType: 'image/jpeg',
      },
    ]);
    const resumed = resumeState(JSON.parse(JSON.stringify(s)));
    expect(resumed.outbox.map((e) => e.type)).toEqual(s.outbox.map((e) => e.type));
    const {
      seq,
      approvalCount,
      outbox,
      recordedVersion,
      ingestedVersion,
      uploadedBy,
      effectCount,
      ...legacy
    } = s;
    const fromLegacy = resumeState({
      ...legacy,
      approvals: [
        {
          id: 'x',
          flow: 'f',
          status: 'approved',
          requestedBy: 'a',
          audience: '',
          rendition: '',
          requestedAt: T0,
        },
      ],
    });
    expect(fromLegacy).toMatchObject({
      outbox: [],
      seq: s.timeline.at(-1)?.seq,
      approvalCount: 1,
      recordedVersion: 2,
    });
  });

  it('answers a new version with its number and queues recording before ingest', () => {
    const outcome = applyEvent(
      stored(),
      {
        type: 'add-version',
        by: 'ann',
        sha256: 'ab',
        sizeBytes: 1,
        originalName: 'v2.jpg',
        declaredMediaType: 'image/jpeg',
      },
      luxury,
      T0,
    );
    expect(outcome.ok && outcome.reply).toEqual({ kind: 'version', version: 2 });
    expect(outcome.ok && outcome.state.outbox.slice(stored().outbox.length).map((e) => e.type)).toEqual([
      'record-version',
      'record-transition',
      'ingest',
      'save-status',
    ]);
  });

  it('brings a cold asset back to the hot tier when it is used', () => {
    let s = play(luxury, stored(), [{ type: 'time' }], '2027-03-02T00:00:00.000Z');
    expect(s.tier).toBe('cold');
    s = { ...s, outbox: [] };
    s = play(luxury, s, [{ type: 'use', by: 'ann', use: 'view' }], '2027-03-03T00:00:00.000Z');
    expect(s.tier).toBe('hot');
    expect(s.outbox.map((e) => e.type)).toContain('move-tier');
  });

  it('records the uploader, not a placeholder, as the requester of upload flows', () => {
    const ecommerce = planOf('ecommerce');
    const s = play(
      ecommerce,
      newAssetState(
        {
          assetId: 'a2',
          ruleSet: 'ecommerce',
          version: 1,
          name: 'x.jpg',
          metadata: { category: 'toys' },
          uploadedBy: 'ann@example.com',
        },
        T0,
        ENGINE_REVISION,
      ),
      [{ type: 'ingested', version: 1, findings: image }],
    );
    expect(s.approvals).toEqual([
      expect.objectContaining({ flow: 'compliance-review', requestedBy: 'ann@example.com' }),
    ]);
  });

  it('queues another status save when the only one queued may be being carried out', () => {
    const s = { ...stored(), outbox: [] };
    const once = play(luxury, s, [{ type: 'use', by: 'ann', use: 'view' }]);
    expect(once.outbox.map((e) => e.type)).toEqual(['save-status']);
    // The interpreter takes the head of the outbox while it runs; this change needs its own save.
    const twice = play(luxury, once, [{ type: 'use', by: 'ann', use: 'view' }]);
    expect(twice.outbox.map((e) => e.type)).toEqual(['save-status', 'save-status']);
    const thrice = play(luxury, twice, [{ type: 'use', by: 'ann', use: 'view' }]);
    expect(thrice.outbox.map((e) => e.type)).toEqual(['save-status', 'save-status']);
  });
});
