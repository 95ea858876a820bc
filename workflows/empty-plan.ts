import type { RuleSetPlan } from '../rules/plan';

/** A plan with no rules, for assets whose upload named no rule set (older servers). */
export function emptyPlan(name: string): RuleSetPlan {
  return {
    planFormat: 1,
    name,
    title: { en: name },
    description: '',
    roles: [],
    teams: [],
    fields: {},
    create: {
      naming: null,
      complianceTags: [],
      brandPalette: null,
      autoTagging: { objects: true, colours: true, exif: true, text: true },
    },
    store: { duplicates: { exact: 'warn', near: null }, dimensions: {} },
    distribute: {
      renditions: {},
      audiences: {},
      shareLinks: {
        defaultExpiryDays: 7,
        maxExpiryDays: 90,
        passwordRequired: false,
        allowedDomains: [],
        maxDownloads: null,
      },
      channels: {},
    },
    flows: {},
    use: { freeze: [] },
    archive: {
      validity: null,
      coldAfterDaysUnused: null,
      retention: [],
      legalHold: null,
    },
  };
}
