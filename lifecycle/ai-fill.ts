import type { RuleSetPlan } from '../rules/plan';
import type { EngineState, FoundTag } from './model';
import { note } from './state';

/**
 * The rule set's `create.aiFill`: a field left empty at upload is filled from the tags the models
 * found (e-commerce: a detected cup makes `category: kitchenware`, which brings its compliance
 * tags). The best-scoring tag at or above the field's `minConfidence` decides. Where the value
 * came from stays in `fieldSources` until a person sets or confirms the field.
 */
export function fillFromTags(s: EngineState, plan: RuleSetPlan, tags: FoundTag[], now: string): void {
  for (const [field, rule] of Object.entries(plan.create.aiFill ?? {})) {
    const current = s.metadata[field];
    if (current !== undefined && current !== null && current !== '') continue;
    let best: { value: string; tag: string; confidence: number } | undefined;
    for (const [value, meaning] of Object.entries(rule.fromTags))
      for (const tag of tags) {
        const confidence = tag.confidence ?? 0;
        if (!meaning.includes(tag.name) || confidence < rule.minConfidence) continue;
        if (!best || confidence > best.confidence) best = { value, tag: tag.name, confidence };
      }
    if (!best) continue;
    s.metadata[field] = best.value;
    s.fieldSources = {
      ...(s.fieldSources ?? {}),
      [field]: { source: 'ai', confidence: best.confidence, tag: best.tag, at: now },
    };
    note(
      s,
      'ai-filled',
      `${field}: ${best.value} (from "${best.tag}", confidence ${best.confidence})`,
      now,
      'ai',
    );
  }
}
