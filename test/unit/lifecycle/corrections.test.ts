import { catalogueStatusOf } from '../../../lifecycle/engine';
import type { EngineState, LifecycleEvent } from '../../../lifecycle/model';
import { refusalOf } from '../../../lifecycle/transition-table';
import { examplePlan, freshAsset, IMAGE, play, T0 } from '../../support/engine-play';

const luxury = examplePlan('luxury');
const T1 = '2026-03-02T09:00:00.000Z';
const image = IMAGE;
const ai = (name: string) => ({ name, source: 'ai', confidence: 0.8 });

const run = (s: EngineState, events: LifecycleEvent[], at = T0) => play(luxury, s, events, at);
const stored = (metadata: Record<string, unknown> = {}) =>
  run(freshAsset('luxury', metadata, 'p.jpg'), [
    { type: 'ingested', version: 1, findings: { ...image, tags: [ai('person'), ai('handbag')] } },
  ]);
const newVersion: LifecycleEvent = {
  type: 'add-version',
  by: 'ann',
  sha256: 'b'.repeat(64),
  sizeBytes: 1,
  originalName: 'p2.jpg',
  declaredMediaType: 'image/jpeg',
};

describe('correcting what ingest got wrong (lifecycle engine)', () => {
  it('a removed tag stays removed through a new version; an added one stays; a confirmed one is the person’s', () => {
    let s = run(
      stored(),
      [{ type: 'edit-tags', by: 'bob', add: ['campaign hero'], remove: ['handbag'], confirm: ['person'] }],
      T1,
    );
    expect(s.asset.tags).toEqual(['campaign hero', 'person']);
    expect(s.tagSources).toEqual({
      'campaign hero': { source: 'user', by: 'bob', at: T1 },
      person: { source: 'user', by: 'bob', at: T1 },
    });
    expect(s.timeline.at(-1)).toMatchObject({
      event: 'tags-changed',
      by: 'bob',
      reason: 'added campaign hero; removed handbag; confirmed person',
    });
    expect(catalogueStatusOf(s)).toMatchObject({ tagSources: s.tagSources });
    // A new version's ingest and its models find the handbag again: it does not come back.
    s = run(s, [
      newVersion,
      { type: 'ingested', version: 2, findings: { ...image, tags: [ai('handbag'), ai('shoe')] } },
    ]);
    expect(s.asset.tags).toEqual(['campaign hero', 'person', 'shoe']);
    s = run({ ...s, enriching: 2 }, [{ type: 'enriched', version: 2, tags: [ai('handbag')] }]);
    expect(s.asset.tags).not.toContain('handbag');
    // Added by a person again, it is theirs and no longer removed.
    s = run(s, [{ type: 'edit-tags', by: 'bob', add: ['handbag'] }]);
    expect(s.asset.tags).toContain('handbag');
    expect(s.removedTags).toEqual([]);
  });

  it('refuses tags the asset lacks, tags a compliance rule gives, empty or overlong ones, and a frozen asset', () => {
    const cn = stored({ usageRegion: 'CN-mainland' });
    expect(cn.asset.tags).toContain('CN-mainland-only');
    const cases: [EngineState, LifecycleEvent, string][] = [
      [stored(), { type: 'edit-tags', by: 'bob', remove: ['shoe'] }, 'TAG_UNKNOWN'],
      [stored(), { type: 'edit-tags', by: 'bob', confirm: ['shoe'] }, 'TAG_UNKNOWN'],
      [cn, { type: 'edit-tags', by: 'bob', remove: ['CN-mainland-only'] }, 'TAG_FROM_RULE'],
      [stored(), { type: 'edit-tags', by: 'bob' }, 'TAG_INVALID'],
      [stored(), { type: 'edit-tags', by: 'bob', add: [' '] }, 'TAG_INVALID'],
      [stored(), { type: 'edit-tags', by: 'bob', add: ['x'.repeat(65)] }, 'TAG_INVALID'],
      [
        run(
          stored(),
          Array.from({ length: 10 }, (_, i) => ({
            type: 'edit-tags' as const,
            by: 'bob',
            add: Array.from({ length: i < 9 ? 50 : 48 }, (_, j) => `t${i}-${j}`),
          })),
        ),
        { type: 'edit-tags', by: 'bob', add: ['one more'] },
        'TAG_INVALID',
      ],
      [
        run(stored(), [{ type: 'freeze', by: 'mia', roles: ['brand-manager'], reason: 'final' }]),
        { type: 'edit-tags', by: 'bob', add: ['x'] },
        'ASSET_FROZEN',
      ],
    ];
    for (const [s, event, code] of cases) expect(refusalOf(s, event, luxury, T0)?.code).toBe(code);
  });

  it('reclassifies with each dimension before and after in the timeline, checked against the rule set', () => {
    const before = { region: ['APAC'], scenario: ['store'] };
    const s = run(stored(), [{ type: 'set-dimensions', by: 'bob', set: { region: ['EMEA'] }, before }], T1);
    expect(s.dimensions).toEqual({ region: ['EMEA'], scenario: ['store'] });
    expect(s.timeline.at(-1)).toMatchObject({
      event: 'dimensions-changed',
      by: 'bob',
      reason: 'region: APAC → EMEA',
    });
    expect(catalogueStatusOf(s)).toMatchObject({ dimensions: { region: ['EMEA'], scenario: ['store'] } });
    // Cleared with an empty list; the workflow's own classification counts from now on, not `before`.
    const cleared = run(s, [{ type: 'set-dimensions', by: 'bob', set: { scenario: [] }, before: {} }]);
    expect(cleared.dimensions).toEqual({ region: ['EMEA'] });
    expect(cleared.timeline.at(-1)?.reason).toBe('scenario: store → —');
    // A dimension given as it already is is not named as a change.
    const same = run(s, [
      { type: 'set-dimensions', by: 'bob', set: { region: ['EMEA'], scenario: ['store'] }, before: {} },
    ]);
    expect(same.timeline.at(-1)?.reason).toBe('no change');
    const refused = (set: Record<string, string[]>) =>
      refusalOf(stored(), { type: 'set-dimensions', by: 'bob', set, before }, luxury, T0);
    expect(refused({ colourway: ['red'] })?.message).toContain('dimensions.colourway is not a dimension');
    expect(refused({ region: ['Mars'] })?.message).toContain('has no value Mars');
    expect(refused({ region: ['constructor'] })?.code).toBe('METADATA_INVALID');
    // Dimensions are multiple unless the rule set says otherwise; a single one takes one value.
    expect(refused({ region: ['APAC', 'EMEA'] })).toBeNull();
    const region = { ...luxury.store.dimensions.region!, multiple: false };
    const single = {
      ...luxury,
      store: { ...luxury.store, dimensions: { ...luxury.store.dimensions, region } },
    };
    const set = { region: ['APAC', 'EMEA'] };
    expect(
      refusalOf(stored(), { type: 'set-dimensions', by: 'bob', set, before }, single, T0)?.message,
    ).toContain('takes one value');
  });

  it('moves the asset to another project through an effect, recorded from → to', () => {
    const s = run(stored(), [{ type: 'move-project', by: 'bob', from: 'default', to: 'ss26' }]);
    expect(s.outbox.filter((e) => e.type === 'set-project')).toMatchObject([{ project: 'ss26' }]);
    expect(s.timeline.at(-1)).toMatchObject({ event: 'moved', reason: 'project default → ss26', by: 'bob' });
    expect(
      refusalOf(stored(), { type: 'move-project', by: 'bob', from: 'a', to: 'a' }, luxury, T0)?.code,
    ).toBe('ALREADY_IN_PROJECT');
    const frozen = run(stored(), [{ type: 'freeze', by: 'mia', roles: ['brand-manager'], reason: 'final' }]);
    expect(refusalOf(frozen, { type: 'move-project', by: 'bob', from: 'a', to: 'b' }, luxury, T0)?.code).toBe(
      'ASSET_FROZEN',
    );
  });
});
