import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type DryRunEvent, dryRun } from '../../../lifecycle/dry-run';
import { compileRuleSet, type RuleSetPlan } from '../../../rules';

const planOf = (name: string): RuleSetPlan => {
  const source = readFileSync(
    path.join(__dirname, '..', '..', '..', 'rules', 'examples', `${name}.yaml`),
    'utf8',
  );
  const { plan, problems } = compileRuleSet(source);
  if (!plan) throw new Error(JSON.stringify(problems));
  return plan;
};
const pathOf = (flow: { path: { node: string }[] }) => [...new Set(flow.path.map((p) => p.node))];
const timer = (result: ReturnType<typeof dryRun>, name: string) => result.timers.find((t) => t.name === name);

describe('dry-run of the luxury rule set', () => {
  const plan = planOf('luxury');
  const sample = {
    asset: {
      name: 'SS26-Garden_event_V1_20260301.jpg',
      kind: 'image',
      uploadedAt: '2026-03-01T09:00:00.000Z',
    },
    metadata: {
      campaign: 'SS26-Garden',
      photographer: 'Li Wei',
      scenario: 'event',
      eventDate: '2026-03-05T00:00:00.000Z',
      usageRegion: 'CN-mainland',
    },
    directory: { 'brand-manager': ['mia'], reviewer: ['rui', 'sam'], employee: ['ann'], partner: ['p1'] },
  };

  it('an internal hi-res download needs two approvals, then grants a download for 2 days', () => {
    const result = dryRun(plan, sample, [
      {
        type: 'download-request',
        at: '2026-03-02T10:00:00.000Z',
        audience: 'internal',
        rendition: 'original',
        user: 'ann',
      },
      {
        type: 'decision',
        at: '2026-03-02T11:00:00.000Z',
        node: 'first-approval',
        reviewer: 'mia',
        decision: 'approve',
      },
      {
        type: 'decision',
        at: '2026-03-02T12:00:00.000Z',
        node: 'second-approval',
        reviewer: 'rui',
        decision: 'approve',
      },
    ]);
    const [flow] = result.flows;
    expect(flow?.status).toBe('approved');
    expect(pathOf(flow!)).toEqual([
      'start',
      'is-internal',
      'first-approval',
      'second-approval',
      'grant',
      'approved',
    ]);
    expect(timer(result, 'grant/ann:original')).toMatchObject({ at: '2026-03-04T12:00:00.000Z' });
    expect(timer(result, 'hi-res-download#1/first-approval')).toMatchObject({
      at: '2026-03-04T10:00:00.000Z',
      status: 'cancelled',
    });
  });

  it('a reviewer who is not eligible cannot decide, and the step times out after 2 days', () => {
    const result = dryRun(plan, sample, [
      {
        type: 'download-request',
        at: '2026-03-02T10:00:00.000Z',
        audience: 'internal',
        rendition: 'original',
        user: 'ann',
      },
      {
        type: 'decision',
        at: '2026-03-02T11:00:00.000Z',
        node: 'first-approval',
        reviewer: 'rui',
        decision: 'approve',
      },
      { type: 'advance', to: '2026-03-05T00:00:00.000Z' },
    ]);
    expect(result.log.some((l) => l.outcome === 'refused: NOT_ELIGIBLE')).toBe(true);
    // The timeout rejects the flow; no grant was made.
    expect(result.final.grants).toEqual([]);
    expect(result.flows[0]?.status).toBe('rejected');
    expect(timer(result, 'hi-res-download#1/first-approval')).toMatchObject({
      at: '2026-03-04T10:00:00.000Z',
      status: 'fired',
    });
  });

  it('event material expires 7 days after the event; partners get medium-res without approval until then', () => {
    const result = dryRun(plan, sample, [
      {
        type: 'download-request',
        at: '2026-03-10T10:00:00.000Z',
        audience: 'partners',
        rendition: 'medium',
        user: 'p1',
        external: true,
      },
      {
        type: 'download-request',
        at: '2026-03-10T11:00:00.000Z',
        audience: 'partners',
        rendition: 'original',
        user: 'p1',
        external: true,
      },
      {
        type: 'download-request',
        at: '2026-03-13T10:00:00.000Z',
        audience: 'partners',
        rendition: 'medium',
        user: 'p1',
        external: true,
      },
    ]);
    expect(timer(result, 'validity')).toMatchObject({ at: '2026-03-12T00:00:00.000Z', status: 'fired' });
    expect(result.log.filter((l) => l.event.startsWith('download')).map((l) => l.outcome)).toEqual([
      'allowed',
      expect.stringMatching(/^refused \(RENDITION_REFUSED\)/),
      expect.stringMatching(/^refused \(ASSET_TAKEN_DOWN\)/),
    ]);
    expect(result.final.state).toBe('expired');
    expect(result.create.complianceTags).toEqual(['CN-mainland-only']);
  });

  it('classic campaigns are kept forever; others are purged 5 years after archiving', () => {
    const archived: DryRunEvent[] = [{ type: 'archive', at: '2027-01-15T00:00:00.000Z' }];
    expect(timer(dryRun(plan, sample, archived), 'retention')).toMatchObject({
      at: '2032-01-15T00:00:00.000Z',
      status: 'pending',
    });
    const classic = dryRun(plan, { ...sample, metadata: { ...sample.metadata, classic: true } }, archived);
    expect(timer(classic, 'retention')).toBeUndefined();
    expect(classic.retention).toMatchObject({ outcome: 'forever', rule: 0 });
  });

  // Regression (quality review H1, divergence 1): the dry-run showed a purge in 2032 that the
  // workflow never arms. The first rule whose condition holds decides, and it waits for delisting.
  it('a classic asset whose deciding rule counts from delisting has no purge date after an archive', () => {
    const variant = structuredClone(plan);
    variant.archive.retention = [
      { when: 'has(metadata.classic) && metadata.classic', after: 'delisting', keep: 'P3Y' },
      { when: null, after: 'archive', keep: 'P5Y' },
    ];
    const classic = { ...sample, metadata: { ...sample.metadata, classic: true } };
    const archived = dryRun(variant, classic, [{ type: 'archive', at: '2027-01-15T00:00:00.000Z' }]);
    expect(timer(archived, 'retention')).toBeUndefined();
    expect(archived.retention).toMatchObject({ outcome: 'pending', rule: 0 });
    const delisted = dryRun(variant, classic, [
      { type: 'archive', at: '2027-01-15T00:00:00.000Z' },
      { type: 'delist', at: '2027-02-01T00:00:00.000Z' },
    ]);
    expect(timer(delisted, 'retention')).toMatchObject({ at: '2030-02-01T00:00:00.000Z', status: 'pending' });
  });

  it('a retention rule whose condition reads now is judged when the clock gets there, as the workflow does', () => {
    const variant = structuredClone(plan);
    variant.archive.retention = [
      { when: "now > timestamp('2029-06-01T00:00:00Z')", after: 'upload', keep: 'P1Y' },
      { when: null, after: 'upload', keep: 'P5Y' },
    ];
    // Seen from 2026 the second rule decides (2031-03-01). When that date comes the first rule
    // holds, its date has long passed, and the asset is purged then. (Judging the first rule from
    // the end of the script once made the dry-run loop forever on 2027-03-01.)
    const result = dryRun(variant, { ...sample, metadata: {} }, [
      { type: 'advance', to: '2032-01-01T00:00:00.000Z' },
    ]);
    expect(result.final.state).toBe('purged');
    expect(result.engine.timeline.at(-1)).toMatchObject({ to: 'purged', at: '2031-03-01T09:00:00.000Z' });
  });

  // Regression (quality review H1, divergence 2): audience membership was not modelled, so the
  // dry-run started approvals and allowed downloads the workflow refuses at once.
  it('refuses requests from people outside the audience, as the workflow does', () => {
    const result = dryRun(plan, sample, [
      {
        type: 'download-request',
        at: '2026-03-02T10:00:00.000Z',
        audience: 'internal',
        rendition: 'original',
        user: 'zoe',
      },
      {
        type: 'download-request',
        at: '2026-03-02T10:01:00.000Z',
        audience: 'partners',
        rendition: 'medium',
        user: 'q9',
      },
    ]);
    expect(result.flows).toEqual([]);
    expect(result.log.filter((l) => l.event.startsWith('download')).map((l) => l.outcome)).toEqual([
      expect.stringMatching(/^refused \(AUDIENCE_REFUSED\)/),
      expect.stringMatching(/^refused \(AUDIENCE_REFUSED\)/),
    ]);
  });

  it('the shipped sample starts the approval and ends with a grant for ann', () => {
    const shipped = JSON.parse(
      readFileSync(
        path.join(__dirname, '..', '..', '..', 'rules', 'examples', 'samples', 'luxury-event-photo.json'),
        'utf8',
      ),
    );
    const result = dryRun(plan, shipped, shipped.events);
    expect(result.flows.map((f) => f.status)).toEqual(['approved']);
    expect(result.log.some((l) => l.outcome.startsWith('refused'))).toBe(false);
  });

  it('restoring an expired asset needs a later validity first', () => {
    const result = dryRun(plan, sample, [
      { type: 'restore', at: '2026-03-13T00:00:00.000Z' },
      { type: 'metadata', at: '2026-03-14T00:00:00.000Z', set: { eventDate: '2026-04-01T00:00:00.000Z' } },
      { type: 'restore', at: '2026-03-15T00:00:00.000Z' },
    ]);
    expect(result.log.find((l) => l.event === 'restore')?.outcome).toMatch(/^refused \(VALIDITY_PASSED\)/);
    expect(result.final.state).toBe('stored');
    expect(result.timers.filter((t) => t.name === 'validity')).toEqual([
      expect.objectContaining({ at: '2026-03-12T00:00:00.000Z', status: 'fired' }),
      expect.objectContaining({ at: '2026-04-08T00:00:00.000Z', status: 'pending' }),
    ]);
  });

  it('a legal hold keeps an asset whose retention has ended until it is released', () => {
    const result = dryRun(plan, sample, [
      { type: 'archive', at: '2027-01-15T00:00:00.000Z' },
      {
        type: 'legal-hold',
        on: true,
        reason: 'litigation',
        at: '2031-01-01T00:00:00.000Z',
        roles: ['legal'],
      },
      { type: 'advance', to: '2033-01-01T00:00:00.000Z' },
    ]);
    expect(result.final.state).toBe('archived');
    const released = dryRun(plan, sample, [
      { type: 'archive', at: '2027-01-15T00:00:00.000Z' },
      {
        type: 'legal-hold',
        on: true,
        reason: 'litigation',
        at: '2031-01-01T00:00:00.000Z',
        roles: ['legal'],
      },
      { type: 'legal-hold', on: false, at: '2033-01-01T00:00:00.000Z', roles: ['legal'] },
    ]);
    expect(released.final.state).toBe('purged');
    expect(released.engine.timeline.at(-1)).toMatchObject({ to: 'purged', at: '2033-01-01T00:00:00.000Z' });
  });
});

describe('dry-run of the automotive rule set', () => {
  const plan = planOf('automotive');
  const sample = {
    asset: { name: 'X1A_12345-AB12_MY2026_V1.step', kind: 'cad', uploadedAt: '2026-01-10T08:00:00.000Z' },
    metadata: {
      modelCode: 'X1A',
      partNumber: '12345-AB12',
      modelYear: 2026,
      stage: 'development',
      system: 'chassis',
    },
    directory: { quality: ['qa1'], 'design-lead': ['dl1'], dealer: ['d1'] },
  };

  it('release to production runs quality and design reviews in parallel, then freezes the drawing', () => {
    const result = dryRun(plan, sample, [
      { type: 'metadata', at: '2026-02-01T09:00:00.000Z', set: { stage: 'validation' } },
      {
        type: 'decision',
        at: '2026-02-02T09:00:00.000Z',
        node: 'design-review',
        reviewer: 'dl1',
        decision: 'approve',
      },
      {
        type: 'decision',
        at: '2026-02-03T09:00:00.000Z',
        node: 'quality-review',
        reviewer: 'qa1',
        decision: 'approve',
      },
    ]);
    const flow = result.flows.find((f) => f.flow === 'release-to-production');
    expect(flow?.status).toBe('approved');
    expect(pathOf(flow!)).toEqual([
      'start',
      'split',
      'quality-review',
      'design-review',
      'both-approved',
      'freeze',
      'approved',
    ]);
    expect(result.final.frozen).toBe(true);
  });

  it('a drawing in production is frozen by the freeze trigger; end of production starts 15 years of retention', () => {
    const result = dryRun(plan, sample, [
      { type: 'metadata', at: '2026-03-01T00:00:00.000Z', set: { stage: 'production' } },
      { type: 'end-of-production', at: '2031-06-30T00:00:00.000Z' },
    ]);
    expect(result.final.frozen).toBe(true);
    expect(timer(result, 'retention')).toMatchObject({ at: '2046-06-30T00:00:00.000Z' });
  });

  it('reports a file name that breaks the convention and missing mandatory fields', () => {
    const result = dryRun(plan, {
      ...sample,
      asset: { ...sample.asset, name: 'drawing-final.step' },
      metadata: { modelCode: 'X1A' },
    });
    expect(result.create.naming).toMatchObject({ ok: false, policy: 'reject' });
    expect(result.create.missingFields).toEqual(['modelYear', 'partNumber']);
  });

  it('dealers get marketing posters but not CAD originals', () => {
    const poster = { ...sample, metadata: { ...sample.metadata, purpose: 'marketing-poster' } };
    const result = dryRun(plan, poster, [
      {
        type: 'download-request',
        at: '2026-02-01T00:00:00.000Z',
        audience: 'dealers',
        rendition: 'poster',
        user: 'd1',
      },
      {
        type: 'download-request',
        at: '2026-02-01T00:01:00.000Z',
        audience: 'dealers',
        rendition: 'original',
        user: 'd1',
      },
    ]);
    expect(result.log.filter((l) => l.event.startsWith('download')).map((l) => l.outcome)).toEqual([
      'allowed',
      expect.stringMatching(/^refused \(RENDITION_REFUSED\)/),
    ]);
  });
});

describe('dry-run of the e-commerce rule set', () => {
  const plan = planOf('ecommerce');
  const sample = {
    asset: { name: 'IMG_0042.jpg', kind: 'image', uploadedAt: '2026-04-01T00:00:00.000Z' },
    metadata: {
      sku: 'EL-123456',
      brand: 'Voltio',
      purpose: 'main',
      category: 'electronics',
      markets: ['US', 'EU'],
    },
    directory: { compliance: ['c1'], 'marketplace-ops': ['o1'] },
  };

  it('derives compliance tags from the category and suggests the conventional name', () => {
    const result = dryRun(plan, sample);
    expect(result.create.complianceTags).toEqual(['needs-CE', 'needs-FCC']);
    expect(result.create.naming).toMatchObject({
      ok: false,
      policy: 'rename',
      suggestion: 'Voltio_EL-123456_main_V1_20260401.jpg',
    });
  });

  it('an unanswered compliance review escalates to marketplace ops after 2 days, then rejects after 1 more', () => {
    const result = dryRun(plan, sample, [{ type: 'advance', to: '2026-04-05T00:00:00.000Z' }]);
    const flow = result.flows[0]!;
    expect(pathOf(flow)).toEqual(['start', 'review', 'ops-review', 'block', 'rejected']);
    expect(timer(result, 'compliance-review#1/review')).toMatchObject({
      at: '2026-04-03T00:00:00.000Z',
      status: 'fired',
    });
    expect(timer(result, 'compliance-review#1/ops-review')).toMatchObject({
      at: '2026-04-04T00:00:00.000Z',
      status: 'fired',
    });
  });

  it('delisted products are kept 3 years, and unused assets go cold after 180 days', () => {
    const result = dryRun(plan, sample, [{ type: 'delist', at: '2026-09-01T00:00:00.000Z' }]);
    expect(timer(result, 'retention')).toMatchObject({ at: '2029-09-01T00:00:00.000Z' });
    expect(timer(result, 'cold-tier')).toMatchObject({ at: '2026-09-28T00:00:00.000Z' });
  });

  it('a compliance rejection notifies the merchandisers in the log (the notify action)', () => {
    const result = dryRun(plan, sample, [
      {
        type: 'decision',
        at: '2026-04-01T10:00:00.000Z',
        node: 'review',
        reviewer: 'c1',
        decision: 'reject',
      },
    ]);
    expect(result.log).toContainEqual(
      expect.objectContaining({
        event: 'notify role merchandiser',
        outcome: 'compliance-review: Compliance rejected',
      }),
    );
  });

  it('relisting undoes a delisting: back to stored, no purge date', () => {
    const result = dryRun(plan, sample, [
      { type: 'delist', at: '2026-09-01T00:00:00.000Z' },
      { type: 'relist', at: '2026-10-01T00:00:00.000Z' },
    ]);
    expect(result.answers.map((a) => a.refused)).toEqual([null, null]);
    expect(result.final.state).toBe('stored');
    expect(result.retention).toMatchObject({ outcome: 'pending' });
  });
});

describe('dry-run answers what the workflow enforces (issue: rules enforced)', () => {
  it('the requester may not approve their own download; four eyes in the script too', () => {
    const plan = planOf('luxury');
    const result = dryRun(
      plan,
      {
        asset: { name: 'SS26_store_V1_20260301.jpg', kind: 'image', uploadedAt: '2026-03-01T09:00:00.000Z' },
        metadata: { campaign: 'SS26', photographer: 'Li Wei', scenario: 'store', usageRegion: 'EMEA' },
        directory: { 'brand-manager': ['boss'], reviewer: ['boss'], employee: ['boss'], agent: ['ada'] },
      },
      [
        {
          type: 'download-request',
          at: '2026-03-02T10:00:00.000Z',
          audience: 'internal',
          rendition: 'original',
          user: 'boss',
        },
        {
          type: 'decision',
          at: '2026-03-02T11:00:00.000Z',
          node: 'first-approval',
          reviewer: 'boss',
          decision: 'approve',
        },
        {
          type: 'download-request',
          at: '2026-03-02T12:00:00.000Z',
          audience: 'agents',
          rendition: 'proof',
          user: 'ada',
          external: true,
        },
      ],
    );
    expect(result.answers.map((a) => a.refused)).toEqual([null, 'OWN_REQUEST', 'REGION_REFUSED']);
  });

  it('an incomplete asset is withheld, and the AI-filled category brings its compliance tags', () => {
    const incomplete = dryRun(
      planOf('luxury'),
      {
        asset: { name: 'x.jpg', kind: 'image', uploadedAt: '2026-03-01T09:00:00.000Z' },
        metadata: { campaign: 'SS26' },
        directory: { employee: ['ann'] },
      },
      [
        {
          type: 'download-request',
          at: '2026-03-02T10:00:00.000Z',
          audience: 'internal',
          rendition: 'thumbnail',
          user: 'ann',
        },
      ],
    );
    expect(incomplete.answers[0]?.refused).toBe('ASSET_INCOMPLETE');
    const filled = dryRun(planOf('ecommerce'), {
      asset: {
        name: 'x.jpg',
        kind: 'image',
        uploadedAt: '2026-03-01T09:00:00.000Z',
        tags: [{ name: 'laptop', confidence: 0.8 }],
      },
      metadata: { sku: 'AB-1234', brand: 'acme' },
    });
    expect(filled.create.complianceTags).toEqual(['needs-CE', 'needs-FCC']);
    expect(filled.final.metadata).toMatchObject({ category: 'electronics' });
  });

  it('a model release tells the owner 30 days before and stops distribution on its day, as the workflow does', () => {
    const result = dryRun(
      planOf('luxury'),
      {
        asset: { name: 'SS26_store_V1_20260301.jpg', kind: 'image', uploadedAt: '2026-03-01T09:00:00.000Z' },
        metadata: {
          campaign: 'SS26',
          photographer: 'Li Wei',
          scenario: 'store',
          usageRegion: 'CN-mainland',
          modelReleaseExpiry: '2026-06-01',
        },
        directory: { partner: ['p1'] },
      },
      [
        {
          type: 'download-request',
          at: '2026-05-31T10:00:00.000Z',
          audience: 'partners',
          rendition: 'medium',
          user: 'p1',
          external: true,
        },
        {
          type: 'download-request',
          at: '2026-06-01T10:00:00.000Z',
          audience: 'partners',
          rendition: 'medium',
          user: 'p1',
          external: true,
        },
      ],
    );
    expect(timer(result, 'rights-notice')).toMatchObject({ at: '2026-05-02T00:00:00.000Z', status: 'fired' });
    expect(timer(result, 'rights-expiry')).toMatchObject({ at: '2026-06-01T00:00:00.000Z', status: 'fired' });
    expect(result.log).toContainEqual(expect.objectContaining({ event: 'notify owners' }));
    expect(result.answers.map((a) => a.refused)).toEqual([null, 'RIGHTS_EXPIRED']);
  });
});
