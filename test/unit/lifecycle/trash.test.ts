import { withheldReason } from '../../../domain/asset';
import { catalogueStatusOf, nextWake, viewOf } from '../../../lifecycle/engine';
import type { EngineState, LifecycleEvent } from '../../../lifecycle/model';
import { refusalOf } from '../../../lifecycle/transition-table';
import { examplePlan, freshAsset, IMAGE, play, T0 } from '../../support/engine-play';

const luxury = examplePlan('luxury');
const LATER = '2026-03-31T09:00:00.000Z'; // 30 days on
const image = IMAGE;
const trash: LifecycleEvent = { type: 'trash', by: 'ann', keepFor: 'P30D', reason: 'shot twice' };

const run = (s: EngineState, events: LifecycleEvent[], at = T0) => play(luxury, s, events, at);
const fresh = (metadata: Record<string, unknown> = {}) => freshAsset('luxury', metadata);
const stored = (metadata: Record<string, unknown> = {}) =>
  run(fresh(metadata), [{ type: 'ingested', version: 1, findings: image }]);

describe('the trash (lifecycle engine)', () => {
  it('moves an asset to the trash, withdraws it and arms the timer that empties the trash', () => {
    const s = run(stored(), [trash]);
    expect(s.state).toBe('trashed');
    expect(s.trashed).toEqual({
      by: 'ann',
      at: T0,
      from: 'stored',
      purgeAt: LATER,
      reason: 'shot twice',
    });
    expect(s.timeline.at(-1)).toMatchObject({ from: 'stored', to: 'trashed', event: 'trashed', by: 'ann' });
    expect(nextWake(s, luxury, T0)).toBe(LATER);
    expect(viewOf(s, luxury, T0).timers.map((t) => t.kind)).toContain('trash');
    // The catalogue hears it (links and exports read the mirrored state) and nothing leaves.
    expect(catalogueStatusOf(s)).toMatchObject({ trashed: { purgeAt: LATER } });
    expect(withheldReason({ state: s.state })).toBe('the asset is trashed');
    const download: LifecycleEvent = {
      type: 'request-download',
      by: 'bob',
      roles: ['employee'],
      audience: 'internal',
      rendition: 'proof',
    };
    expect(refusalOf(s, download, luxury, T0)?.code).toBe('ASSET_TRASHED');
    expect(refusalOf(s, { type: 'use', by: 'bob', use: 'view' }, luxury, T0)?.code).toBe('ASSET_TRASHED');
    expect(refusalOf(s, trash, luxury, T0)?.code).toBe('ASSET_TRASHED');
  });

  it('purges it when the trash period ends, and not a moment before', () => {
    const s = run(stored(), [trash]);
    const early = run(s, [{ type: 'time' }], '2026-03-31T08:59:59.999Z');
    expect(early.state).toBe('trashed');
    const purged = run(s, [{ type: 'time' }], LATER);
    expect(purged.state).toBe('purged');
    expect(purged.outbox.map((e) => e.type)).toContain('purge');
    expect(purged.timeline.at(-1)).toMatchObject({ from: 'trashed', to: 'purged', by: 'timer' });
  });

  it('restores it to the state it left, timers and all', () => {
    const archived = run(stored(), [{ type: 'archive', by: 'ann' }]);
    // Luxury keeps archived material five years: an archived asset cannot be deleted…
    expect(refusalOf(archived, trash, luxury, T0)?.code).toBe('RETENTION_KEEPS');
    // …but a stored one can, and comes back stored.
    const back = run(stored(), [trash, { type: 'untrash', by: 'bob' }]);
    expect(back.state).toBe('stored');
    expect(back.trashed).toBeUndefined();
    expect(back.timeline.at(-1)).toMatchObject({
      from: 'trashed',
      to: 'stored',
      event: 'untrashed',
      by: 'bob',
    });
    expect(viewOf(back, luxury, T0).timers.map((t) => t.kind)).not.toContain('trash');
    expect(refusalOf(stored(), { type: 'untrash', by: 'bob' }, luxury, T0)?.code).toBe('NOT_IN_TRASH');
  });

  it('returns an asset trashed while its first ingest ran as stored once ingest has finished', () => {
    const s = run(fresh(), [trash, { type: 'ingested', version: 1, findings: image }]);
    expect(s.state).toBe('trashed');
    expect(run(s, [{ type: 'untrash', by: 'ann' }]).state).toBe('stored');
    expect(run(fresh(), [trash, { type: 'untrash', by: 'ann' }]).state).toBe('created');
  });

  it('refuses to delete what a legal hold, a freeze or a retention rule keeps, saying why', () => {
    const held = run(stored(), [
      { type: 'legal-hold', by: 'lee', roles: ['legal'], on: true, reason: 'case 7' },
    ]);
    expect(refusalOf(held, trash, luxury, T0)).toMatchObject({ code: 'ON_LEGAL_HOLD' });
    expect(refusalOf(held, trash, luxury, T0)?.message).toContain('case 7');
    const frozen = run(stored(), [{ type: 'freeze', by: 'mia', roles: ['brand-manager'], reason: 'final' }]);
    expect(refusalOf(frozen, trash, luxury, T0)?.code).toBe('ASSET_FROZEN');
    const classic = stored({ classic: true });
    expect(refusalOf(classic, trash, luxury, T0)).toMatchObject({ code: 'RETENTION_KEEPS' });
    expect(refusalOf(classic, trash, luxury, T0)?.message).toContain('forever');
    const archived = run(stored(), [{ type: 'archive', by: 'ann' }]);
    expect(refusalOf(archived, trash, luxury, T0)?.message).toContain('2031-03-01');
    // Once the retention period is over, deleting is allowed (the purge timer would do it anyway).
    expect(refusalOf(archived, trash, luxury, '2031-03-02T00:00:00.000Z')).toBeNull();
  });

  it('a legal hold placed in the trash stops the purge until it is released', () => {
    const held = run(stored(), [
      trash,
      { type: 'legal-hold', by: 'lee', roles: ['legal'], on: true, reason: 'case 9' },
    ]);
    expect(viewOf(held, luxury, T0).timers.map((t) => t.kind)).not.toContain('trash');
    expect(run(held, [{ type: 'time' }], '2026-06-01T00:00:00.000Z').state).toBe('trashed');
    const released = run(held, [{ type: 'legal-hold', by: 'lee', roles: ['legal'], on: false }]);
    expect(run(released, [{ type: 'time' }], '2026-06-01T00:00:00.000Z').state).toBe('purged');
  });

  it('an upload deleted while it was analysed starts its flows only when restored', () => {
    const ecommerce = examplePlan('ecommerce');
    const metadata = { sku: 'EL-1', brand: 'Voltio', purpose: 'main', category: 'toys' };
    const s0 = freshAsset('ecommerce', metadata);
    const playE = (s: EngineState, events: LifecycleEvent[]) => play(ecommerce, s, events);
    const trashed = playE(s0, [trash, { type: 'ingested', version: 1, findings: image }]);
    expect(trashed.outbox.filter((e) => e.type === 'start-approval')).toEqual([]);
    const back = playE(trashed, [{ type: 'untrash', by: 'ann' }]);
    expect(back.outbox.filter((e) => e.type === 'start-approval')).toMatchObject([
      { approval: { flow: 'compliance-review' } },
    ]);
  });
});
