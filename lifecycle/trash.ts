import { addDuration } from '../rules/duration';
import type { EngineState, LifecycleEvent } from './model';
import { statusChanged, transition } from './state';

/**
 * The trash: a state an asset leaves for the one it came from, or for `purged` when the trash's
 * timer fires. Who may delete what is the transition table's to say.
 */

export function moveToTrash(s: EngineState, e: Extract<LifecycleEvent, { type: 'trash' }>, now: string) {
  s.trashed = {
    by: e.by,
    at: now,
    from: s.state,
    purgeAt: addDuration(now, e.keepFor),
    ...(e.reason ? { reason: e.reason } : {}),
  };
  transition(s, 'trashed', e.reason ? `moved to the trash: ${e.reason}` : 'moved to the trash', now, {
    by: e.by,
    event: 'trashed',
  });
  statusChanged(s);
}

/** Back to the state it left; an asset trashed while its first ingest ran was stored meanwhile. */
export function restoreFromTrash(s: EngineState, by: string, now: string) {
  const from = s.trashed?.from ?? 'stored';
  const back = from === 'created' && s.ingestedVersion > 0 ? 'stored' : from;
  delete s.trashed;
  transition(s, back, `restored from the trash by ${by}`, now, { by, event: 'untrashed' });
}

/** When the trash purges the asset; none outside the trash, or while a legal hold keeps it. */
export function trashTimer(s: EngineState): { kind: 'trash'; at: string; reason: string } | null {
  if (s.state !== 'trashed' || !s.trashed || s.legalHold) return null;
  return {
    kind: 'trash',
    at: s.trashed.purgeAt,
    reason: `in the trash since ${s.trashed.at.slice(0, 10)}: emptied from the trash, purge`,
  };
}
