import type { EngineState, FoundTag, LifecycleEvent } from './model';
import { note, statusChanged } from './state';

/**
 * What a person corrects after ingest: tags and the classification (a move between projects is an
 * effect of the engine itself). The caller judges the asset again where conditions can see it.
 */

/**
 * A person's tag corrections. Added and confirmed tags become theirs (`tagSources`); removed ones
 * are remembered so that a re-ingest or the models do not bring them back, unless added again.
 */
export function editTags(s: EngineState, e: Extract<LifecycleEvent, { type: 'edit-tags' }>, now: string) {
  const add = [...new Set((e.add ?? []).map((t) => t.trim()))];
  const remove = new Set(e.remove ?? []);
  const sources = { ...(s.tagSources ?? {}) };
  for (const tag of [...add, ...(e.confirm ?? [])]) sources[tag] = { source: 'user', by: e.by, at: now };
  for (const tag of remove) delete sources[tag];
  s.tagSources = sources;
  s.removedTags = [...new Set([...(s.removedTags ?? []).filter((t) => !add.includes(t)), ...remove])].sort();
  s.asset.tags = [...new Set([...s.asset.tags.filter((t) => !remove.has(t)), ...add])].sort();
  s.derivedTags = (s.derivedTags ?? []).filter((t) => !remove.has(t));
  const said = [
    add.length > 0 ? `added ${add.join(', ')}` : '',
    remove.size > 0 ? `removed ${[...remove].join(', ')}` : '',
    e.confirm?.length ? `confirmed ${e.confirm.join(', ')}` : '',
  ];
  note(s, 'tags-changed', said.filter(Boolean).join('; '), now, e.by);
}

/** Tags a person removed do not come back from ingest or the models. */
export function notRemoved(s: EngineState, tags: FoundTag[]): FoundTag[] {
  const removed = new Set(s.removedTags ?? []);
  return removed.size === 0 ? tags : tags.filter((t) => !removed.has(t.name));
}

/** A reclassification: the named dimensions replaced (an empty list clears one), each change noted before → after. */
export function setDimensions(
  s: EngineState,
  e: Extract<LifecycleEvent, { type: 'set-dimensions' }>,
  now: string,
) {
  const before = s.dimensions ?? e.before;
  const after = { ...before, ...e.set };
  for (const [name, values] of Object.entries(after)) if (values.length === 0) delete after[name];
  const text = (values: string[] | undefined) => (values ?? []).join(', ') || '—';
  const changes = Object.keys(e.set)
    .filter((name) => text(before[name]) !== text(after[name]))
    .map((name) => `${name}: ${text(before[name])} → ${text(after[name])}`);
  s.dimensions = after;
  note(s, 'dimensions-changed', changes.join('; ') || 'no change', now, e.by);
  statusChanged(s);
}
