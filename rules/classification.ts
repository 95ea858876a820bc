import type { RuleSetPlan } from './plan';

/** Values of one dimension a person may give at once (a multiple dimension's whole set). */
export const MAX_VALUES_PER_DIMENSION = 50;

/**
 * An asset's classification checked against its rule set's dimensions: each named dimension
 * exists, its values are among the allowed ones, one value unless the dimension is `multiple`;
 * `complete` also asks for every required dimension. Pure, so the upload edge and the lifecycle
 * engine judge a classification alike. A value may be given alone or as a list.
 */
export function checkClassification(
  plan: Pick<RuleSetPlan, 'name' | 'store'>,
  given: Record<string, unknown>,
  { complete }: { complete: boolean },
): { values: Record<string, string[]>; problems: Record<string, string> } {
  const dimensions = plan.store.dimensions;
  const values: Record<string, string[]> = {};
  const problems: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const dimension = Object.hasOwn(dimensions, name) ? dimensions[name] : undefined;
    if (!dimension) {
      problems[name] =
        `is not a dimension of rule set ${plan.name} (${Object.keys(dimensions).join(', ') || 'none'})`;
      continue;
    }
    const list = (Array.isArray(value) ? value : [value]).map(String);
    const unknown = list.filter((v) => !Object.hasOwn(dimension.values, v));
    if (list.length > MAX_VALUES_PER_DIMENSION)
      problems[name] = `takes at most ${MAX_VALUES_PER_DIMENSION} values`;
    else if (unknown.length > 0)
      problems[name] =
        `has no value ${unknown.join(', ')} (allowed: ${Object.keys(dimension.values).join(', ')})`;
    else if (!dimension.multiple && list.length > 1) problems[name] = 'takes one value';
    else values[name] = [...new Set(list)];
  }
  if (complete)
    for (const [name, dimension] of Object.entries(dimensions))
      if (dimension.required && !values[name]?.length && !problems[name])
        problems[name] = `is required (rule set ${plan.name})`;
  return { values, problems };
}
