import type { RuleSetPlan } from '../rules/plan';
import { enforcing, holds } from './asset-rules';
import type { BusinessEvent, EngineState } from './model';
import { note, statusChanged, transition } from './state';

/**
 * Business events — delisting (e-commerce), end of production (automotive) — and their undoing,
 * by the API or driven by a metadata condition of the rule set (`archive.events`). They anchor
 * retention; in states that enforce rules they also tag and archive the asset.
 */

const EVENT_TAG: Record<BusinessEvent, string> = {
  delisting: 'delisted',
  'end-of-production': 'end-of-production',
};
const UNDONE: Record<BusinessEvent, string> = {
  delisting: 'relisted',
  'end-of-production': 'production-resumed',
};

/**
 * Delisting or end of production: the retention anchor is set, and (in states that enforce rules)
 * the asset is tagged and archived — the seed's "delisted material is tagged and archived". A live
 * asset is archived by the event; one the events already hold archived joins their hold. An asset
 * archived by hand or taken down stays as it is (restoring those has its own checks).
 */
export function markBusinessEvent(
  s: EngineState,
  event: BusinessEvent,
  reason: string,
  now: string,
  by: string,
) {
  s.anchors[event] = now;
  note(s, event === 'delisting' ? 'delisted' : 'end-of-production', reason, now, by);
  if (!enforcing(s)) {
    statusChanged(s);
    return;
  }
  s.asset.tags = [...new Set([...s.asset.tags, EVENT_TAG[event]])].sort();
  const held = s.archivedByEvents ?? [];
  if (s.state === 'created' || s.state === 'stored') {
    s.anchors.archive = now;
    s.archivedByEvents = [event];
    transition(s, 'archived', `archived: ${event}`, now, { by, event: 'archived' });
  } else if (s.state === 'archived' && held.length > 0 && !held.includes(event)) {
    s.archivedByEvents = [...held, event];
  }
  statusChanged(s);
}

/**
 * Relisting, production resumed: the anchor and tag go (retention counts again from the next
 * event), and an asset the business events archived comes back once none of them holds it.
 */
export function undoBusinessEvent(
  s: EngineState,
  event: BusinessEvent,
  reason: string,
  now: string,
  by: string,
) {
  delete s.anchors[event];
  s.asset.tags = s.asset.tags.filter((t) => t !== EVENT_TAG[event]);
  note(s, UNDONE[event], reason, now, by);
  const held = s.archivedByEvents ?? [];
  if (held.includes(event)) {
    s.archivedByEvents = held.filter((e) => e !== event);
    if (s.archivedByEvents.length === 0 && s.state === 'archived') {
      delete s.anchors.archive;
      transition(s, 'stored', `restored: ${UNDONE[event]}`, now, { by, event: 'restored' });
      s.lastUsedAt = now;
    }
  }
  statusChanged(s);
}

/**
 * Business events a metadata condition drives: they happen when it starts to hold, and are undone
 * when it stops. A change drives them: the first evaluation (at ingest) only records the
 * condition, so a product uploaded before it is listed (`listed: false`) is not "delisted".
 */
export function businessEventsByCondition(s: EngineState, plan: RuleSetPlan, now: string) {
  for (const [event, rule] of Object.entries(plan.archive.events ?? {}) as [
    BusinessEvent,
    { when: string },
  ][]) {
    const before = s.eventConditions?.[event];
    const holdsNow = holds(plan, rule.when, s, now);
    s.eventConditions = { ...(s.eventConditions ?? {}), [event]: holdsNow };
    if (before === undefined || s.state === 'purged') continue;
    if (holdsNow && !before && !s.anchors[event])
      markBusinessEvent(s, event, `metadata: ${rule.when}`, now, 'rule');
    if (!holdsNow && before && s.anchors[event])
      undoBusinessEvent(s, event, `metadata no longer: ${rule.when}`, now, 'rule');
  }
}
