import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson, compileRuleSet } from '../../../rules';

const examplesDir = path.join(__dirname, '..', '..', '..', 'rules', 'examples');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => ({ file, source: readFileSync(path.join(examplesDir, file), 'utf8') }));

describe('shipped rule sets', () => {
  it('include the three industry scenarios and the default', () => {
    expect(examples.map((e) => e.file).sort()).toEqual([
      'automotive.yaml',
      'default.yaml',
      'ecommerce.yaml',
      'luxury.yaml',
    ]);
  });

  it.each(examples.map((e) => [e.file, e.source]))('%s compiles without problems', (file, source) => {
    const { plan, problems } = compileRuleSet(source, file);
    expect(problems).toEqual([]);
    expect(plan?.name).toBe(file.replace('.yaml', ''));
  });

  it.each(examples.map((e) => [e.file, e.source]))(
    '%s compiles to a byte-identical plan every time',
    (_file, source) => {
      const first = canonicalJson(compileRuleSet(source).plan);
      const second = canonicalJson(compileRuleSet(source).plan);
      expect(second).toBe(first);
      // The plan is plain JSON: it survives a round trip through JSON unchanged.
      expect(canonicalJson(JSON.parse(first))).toBe(first);
    },
  );

  it('fills every default so workflows never guess', () => {
    const plan = compileRuleSet(examples.find((e) => e.file === 'default.yaml')!.source).plan!;
    expect(plan.create.autoTagging).toEqual({
      objects: true,
      colours: true,
      exif: true,
      text: true,
    });
    expect(plan.distribute.shareLinks).toEqual({
      defaultExpiryDays: 7,
      maxExpiryDays: 90,
      passwordRequired: false,
      allowedDomains: [],
      maxDownloads: null,
      audiences: null,
    });
    expect(plan.archive.validity).toEqual({ field: 'validUntil', after: null });
    expect(plan.fields.title?.requiredFor).toEqual([]);
  });

  it('the automotive rule set requires model code, part number and model year', () => {
    const plan = compileRuleSet(examples.find((e) => e.file === 'automotive.yaml')!.source).plan!;
    expect(plan.fields.modelCode?.requiredFor).toEqual(['cad', 'document', 'generic', 'image', 'video']);
    expect(plan.fields.partNumber?.requiredFor).toEqual(['cad', 'document', 'image']);
    expect(plan.fields.modelYear?.requiredFor).toHaveLength(5);
  });
});

describe('promises the rule language no longer makes', () => {
  it('refuses autoTagging.scene (no scene tagger ships; the switch did nothing)', () => {
    const { plan, problems } = compileRuleSet(`apiVersion: assetflow/v1
kind: RuleSet
name: scenes
create:
  autoTagging: { scene: true }
`);
    expect(plan).toBeUndefined();
    expect(problems.map((p) => p.path)).toContain('/create/autoTagging/scene');
  });
});

describe('dimension value aliases', () => {
  const ecommerce = examples.find((e) => e.file === 'ecommerce.yaml')!.source;

  it('reach the plan: the market JP is also Japanese and 日系', () => {
    const { plan } = compileRuleSet(ecommerce);
    expect(plan?.store.dimensions.market?.values.JP).toEqual({
      en: 'Japan',
      zh: '日本',
      aliases: ['Japanese', '日系'],
    });
  });

  it('are a list of words: a single string is a schema problem', () => {
    const broken = ecommerce.replace('aliases: [Japanese, 日系]', 'aliases: Japanese');
    expect(broken).not.toBe(ecommerce);
    expect(compileRuleSet(broken).problems.length).toBeGreaterThan(0);
  });
});
