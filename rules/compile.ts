import type { LocalisedText, RuleSetDocument } from './document';
import { parseNamingTemplate } from './naming';
import { ASSET_KINDS, type FlowPlan, type RuleSetPlan } from './plan';
import type { RuleProblem } from './problems';
import { semanticProblems } from './semantic-checks';
import { parseRuleSource } from './source-map';
import { validateAgainstSchema } from './validate-schema';

export interface CompileResult {
  /** Present when there is no error (warnings may remain). */
  plan?: RuleSetPlan;
  /** Every problem found, errors and warnings, in document order. */
  problems: RuleProblem[];
}

/**
 * YAML text → a validated, normalised, serialisable plan, or every problem at once. Pure and
 * deterministic: the same source always gives a plan that is byte-identical under
 * `canonicalJson`.
 */
export function compileRuleSet(source: string, file?: string): CompileResult {
  const parsed = parseRuleSource(source, file);
  const problems = [...parsed.problems];
  if (problems.some((p) => p.severity === 'error')) return { problems: sorted(problems) };
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    problems.push({
      code: 'NOT_A_MAPPING',
      message: 'a rule set is a YAML mapping (apiVersion, kind, name, …)',
      path: '',
      line: 1,
      column: 1,
      severity: 'error',
      ...(file ? { file } : {}),
    });
    return { problems };
  }
  const schemaProblems = validateAgainstSchema(parsed, file);
  if (schemaProblems.length > 0) return { problems: sorted([...problems, ...schemaProblems]) };

  const doc = parsed.value as RuleSetDocument;
  problems.push(...semanticProblems(doc, parsed, file));
  if (problems.some((p) => p.severity === 'error')) return { problems: sorted(problems) };
  return { plan: buildPlan(doc), problems: sorted(problems) };
}

function sorted(problems: RuleProblem[]): RuleProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

const text = (value: LocalisedText | undefined, fallback: string): { en: string; zh?: string } =>
  value === undefined
    ? { en: fallback }
    : typeof value === 'string'
      ? { en: value }
      : value.zh
        ? { en: value.en, zh: value.zh }
        : { en: value.en };

function mapRecord<T, U>(
  record: Record<string, T> | undefined,
  fn: (value: T, key: string) => U,
): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(record ?? {}).sort())
    out[key] = fn((record as Record<string, T>)[key] as T, key);
  return out;
}

/** Fills in every default so consumers never guess. */
function buildPlan(doc: RuleSetDocument): RuleSetPlan {
  const create = doc.create ?? {};
  const distribute = doc.distribute ?? {};
  const archive = doc.archive ?? {};
  const links = distribute.shareLinks ?? {};
  return {
    planFormat: 1,
    name: doc.name,
    title: text(doc.title, doc.name),
    description: doc.description ?? '',
    roles: [...(doc.roles ?? [])].sort(),
    teams: [...(doc.teams ?? [])].sort(),
    fields: mapRecord(doc.fields, (f, name) => ({
      type: f.type,
      label: text(f.label, name),
      requiredFor:
        f.required === true
          ? [...ASSET_KINDS].sort()
          : Array.isArray(f.required)
            ? [...f.required].sort()
            : [],
      whenMissing: f.whenMissing ?? 'incomplete',
      values: f.values ? [...f.values] : null,
      pattern: f.pattern ?? null,
      min: f.min ?? null,
      max: f.max ?? null,
    })),
    create: {
      naming: create.naming
        ? { ...create.naming, tokens: parseNamingTemplate(create.naming.template).tokens }
        : null,
      complianceTags: (create.complianceTags ?? []).map((r) => ({ when: r.when, tags: [...r.tags] })),
      brandPalette: create.brandPalette
        ? {
            ...create.brandPalette,
            colours: create.brandPalette.colours.map((c) => ({ name: c.name, hex: c.hex.toUpperCase() })),
          }
        : null,
      aiFill: mapRecord(create.aiFill, (f) => ({
        fromTags: mapRecord(f.fromTags, (tags) => [...tags]),
        minConfidence: f.minConfidence ?? 0.4,
      })),
      autoTagging: {
        objects: create.autoTagging?.objects ?? true,
        colours: create.autoTagging?.colours ?? true,
        exif: create.autoTagging?.exif ?? true,
        text: create.autoTagging?.text ?? true,
      },
    },
    store: {
      duplicates: {
        exact: doc.store?.duplicates?.exact ?? 'warn',
        near: doc.store?.duplicates?.near ?? { threshold: 0.95, action: 'warn' },
      },
      synonyms: doc.store?.synonyms ?? [],
      trees: mapRecord(doc.store?.trees, (t, name) => ({
        label: text(t.label, name),
        levels: [...t.levels],
      })),
      dimensions: mapRecord(doc.store?.dimensions, (d, name) => ({
        label: text(d.label, name),
        values: mapRecord(d.values, (v, key) =>
          typeof v === 'object' && v.aliases ? { ...text(v, key), aliases: [...v.aliases] } : text(v, key),
        ),
        multiple: d.multiple ?? true,
        required: d.required ?? false,
      })),
    },
    distribute: {
      rights: {
        expiry: distribute.rights?.expiry
          ? {
              field: distribute.rights.expiry.field,
              notifyBefore: distribute.rights.expiry.notifyBefore ?? null,
            }
          : null,
        region: distribute.rights?.region
          ? {
              field: distribute.rights.region.field,
              everywhere: distribute.rights.region.everywhere ?? 'global',
            }
          : null,
      },
      renditions: mapRecord(distribute.renditions, (r) => ({ ...r })),
      audiences: mapRecord(distribute.audiences, (a, name) => ({
        label: text(a.label, name),
        roles: [...(a.roles ?? [])],
        teams: [...(a.teams ?? [])],
        external: a.external ?? false,
        regions: [...(a.regions ?? [])],
        renditions: [...a.renditions],
        when: a.when ?? null,
        approvals: mapRecord(a.approvals, (flow) => flow),
      })),
      shareLinks: {
        defaultExpiryDays: links.defaultExpiryDays ?? Math.min(7, links.maxExpiryDays ?? 7),
        maxExpiryDays: links.maxExpiryDays ?? 90,
        passwordRequired: links.passwordRequired ?? false,
        allowedDomains: [...(links.allowedDomains ?? [])],
        maxDownloads: links.maxDownloads ?? null,
        audiences: links.audiences ? [...links.audiences] : null,
      },
      channels: mapRecord(distribute.channels, (c) => ({
        renditions: [...c.renditions],
        when: c.when ?? null,
      })),
    },
    flows: mapRecord(doc.flows, (flow, name): FlowPlan => {
      const start = Object.entries(flow.nodes).find(([, n]) => n.type === 'start')?.[0] as string;
      return {
        label: text(flow.label, name),
        trigger: flow.trigger,
        when: flow.when ?? null,
        start,
        separationOfDuties: {
          requesterMayApprove: flow.separationOfDuties?.requesterMayApprove ?? false,
          reviewerMayApproveTwice: flow.separationOfDuties?.reviewerMayApproveTwice ?? false,
        },
        nodes: mapRecord(flow.nodes, (n) => ({ ...n })),
      };
    }),
    use: {
      freeze: (doc.use?.freeze ?? []).map((f) => ({ when: f.when, reason: f.reason })),
      freezeRoles: doc.use?.freezeRoles ?? [],
    },
    archive: {
      validity: archive.validity
        ? { field: archive.validity.field, after: archive.validity.after ?? null }
        : null,
      coldAfterDaysUnused: archive.coldAfterDaysUnused ?? null,
      retention: (archive.retention ?? []).map((r) => ({
        when: r.when ?? null,
        keep: r.keep,
        after: r.after ?? 'archive',
      })),
      legalHold: archive.legalHold ? { roles: [...archive.legalHold.roles] } : null,
      events: mapRecord(archive.events, (e) => ({ when: e.when })),
    },
  };
}
