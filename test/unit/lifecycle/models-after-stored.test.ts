import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEvent } from '../../../lifecycle/engine';
import type { EngineState, IngestFindings, LifecycleEvent } from '../../../lifecycle/model';
import { newAssetState } from '../../../lifecycle/state';
import { compileRuleSet, type RuleSetPlan } from '../../../rules';

/**
 * Engine revision 4 (issue 22 item 1): an upload is `stored` once the cheap analysis is in; the
 * models run afterwards (`enrich`), and their tags, what they fill in and the compliance that
 * follows arrive with `enriched` — as do the upload's flows, whose conditions read those fields.
 * A state of revision 3 (a run recorded before) ignores the `pending` marker and behaves as it did.
 */
const plan: RuleSetPlan = compileRuleSet(
  readFileSync(path.join(__dirname, '..', '..', '..', 'rules', 'examples', 'ecommerce.yaml'), 'utf8'),
).plan!;
const T0 = '2026-03-01T09:00:00.000Z';
const T1 = '2026-03-01T09:00:03.000Z';
const METADATA = { sku: 'ABC-1234', brand: 'Acme', purpose: 'main' };
const CHEAP: IngestFindings = {
  kind: 'image',
  format: 'jpeg',
  width: 800,
  height: 800,
  tags: [{ name: 'square', source: 'rule', confidence: 1 }],
  enrichment: { state: 'pending' },
};
const CUP = [
  { name: 'cup', source: 'ai', confidence: 0.8 },
  { name: '杯子', source: 'ai', confidence: 0.8 },
];

/** The same rule set with its compliance review started by every upload, whatever the category. */
const reviewEveryUpload: RuleSetPlan = structuredClone(plan);
reviewEveryUpload.flows['compliance-review']!.when = null;

function play(s: EngineState, events: LifecycleEvent[], at = T0, rules = plan): EngineState {
  for (const event of events) {
    const outcome = applyEvent(s, event, rules, at);
    if (!outcome.ok) throw new Error(`${event.type} refused: ${outcome.refusal.code}`);
    s = outcome.state;
  }
  return s;
}
const fresh = (revision: number) =>
  newAssetState(
    { assetId: 'a1', ruleSet: 'ecommerce', version: 1, name: 'p.jpg', metadata: METADATA, uploadedBy: 'ann' },
    T0,
    revision,
  );
const effectTypes = (s: EngineState) => s.outbox.map((e) => e.type);
const flowsStarted = (s: EngineState) =>
  s.outbox.flatMap((e) => (e.type === 'start-approval' ? [e.approval.flow] : []));

describe('revision 4: stored before the models run', () => {
  it('stores on the cheap findings and asks for the models, holding the upload flows', () => {
    const s = play(fresh(4), [{ type: 'ingested', version: 1, findings: CHEAP }]);
    expect(s.state).toBe('stored');
    expect(s.enriching).toBe(1);
    expect(effectTypes(s)).toContain('enrich');
    expect(s.asset.tags).toEqual(['square']);
    // No category yet: nothing AI-filled, no compliance tags, no compliance review.
    expect(s.metadata.category).toBeUndefined();
    expect(flowsStarted(s)).toEqual([]);
  });

  it('takes the models’ tags, fills the category, recomputes compliance and starts the upload flow', () => {
    const s = play(fresh(4), [{ type: 'ingested', version: 1, findings: CHEAP }]);
    const after = play(s, [{ type: 'enriched', version: 1, tags: CUP }], T1);
    expect(after.enriching).toBeUndefined();
    expect(after.asset.tags).toEqual(
      ['cup', 'needs-FDA-food-contact', 'needs-LFGB', 'square', '杯子'].sort(),
    );
    expect(after.metadata.category).toBe('kitchenware');
    expect(after.fieldSources?.category).toMatchObject({ source: 'ai', tag: 'cup', at: T1 });
    expect(flowsStarted(after)).toEqual(['compliance-review']);
    expect(after.timeline.map((t) => t.event ?? t.to)).toEqual(
      expect.arrayContaining(['stored', 'ai-filled', 'enriched']),
    );
    // The same outcome, flows included, as when the models ran inside ingest (revision 3).
    const inline = play(fresh(3), [
      { type: 'ingested', version: 1, findings: { ...CHEAP, tags: [...CHEAP.tags!, ...CUP] } },
    ]);
    expect(after.asset.tags).toEqual(inline.asset.tags);
    expect(after.metadata).toEqual(inline.metadata);
    expect(flowsStarted(inline)).toEqual(['compliance-review']);
  });

  it('a model failure is noted, and the upload flows start without the models’ fields', () => {
    const stored = play(fresh(4), [{ type: 'ingested', version: 1, findings: CHEAP }], T0, reviewEveryUpload);
    expect(flowsStarted(stored)).toEqual([]);
    const s = play(
      stored,
      [{ type: 'enriched', version: 1, tags: [], failed: 'model thread crashed' }],
      T1,
      reviewEveryUpload,
    );
    expect(s.timeline.map((t) => t.event)).toContain('enrichment-failed');
    expect(s.enriching).toBeUndefined();
    expect(s.metadata.category).toBeUndefined();
    expect(flowsStarted(s)).toEqual(['compliance-review']);
  });

  it('ignores the models of a purged asset', () => {
    const s = play(fresh(4), [{ type: 'ingested', version: 1, findings: CHEAP }]);
    const purged = play(
      { ...s, state: 'purged', outbox: [] },
      [{ type: 'enriched', version: 1, tags: CUP }],
      T1,
    );
    expect(purged.asset.tags).not.toContain('cup');
    expect(purged.outbox).toEqual([]);
  });

  it('ignores the models of a version a newer one replaced, and drops its model tags', () => {
    const first = play(fresh(4), [{ type: 'ingested', version: 1, findings: CHEAP }]);
    const second = play({ ...first, version: 2 }, [
      { type: 'ingested', version: 2, findings: { kind: 'generic', reason: 'a PDF', tags: [] } },
      { type: 'enriched', version: 1, tags: CUP },
    ]);
    expect(second.asset.tags).not.toContain('cup');
    expect(second.metadata.category).toBeUndefined();
    expect(effectTypes(second).filter((t) => t === 'enrich')).toHaveLength(1); // version 1's only
    // The first version's models never reported: the upload flows start with the second version.
    const withFlows = play(
      play(fresh(4), [{ type: 'ingested', version: 1, findings: CHEAP }], T0, reviewEveryUpload),
      [],
    );
    const replaced = play(
      { ...withFlows, version: 2 },
      [{ type: 'ingested', version: 2, findings: { kind: 'generic', reason: 'a PDF', tags: [] } }],
      T1,
      reviewEveryUpload,
    );
    expect(flowsStarted(replaced)).toEqual(['compliance-review']);
  });

  it('revision 3 ignores the pending marker: stored and flows at once, no models effect', () => {
    const s = play(fresh(3), [{ type: 'ingested', version: 1, findings: CHEAP }]);
    expect(s.state).toBe('stored');
    expect(effectTypes(s)).not.toContain('enrich');
    expect(s.enriching).toBeUndefined();
  });
});
