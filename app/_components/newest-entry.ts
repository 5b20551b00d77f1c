import type { RebootEntry, RebootPhase } from '@/lib/dashboard/types';

const PHASE_ORDER: Record<RebootPhase, number> = {
  requested: 0,
  answered: 1,
  offline: 2,
  back: 3,
  confirmed: 4,
  failed: 4,
  unconfirmed: 4,
  unknown: 4,
};

function startedAt(entry: RebootEntry): number {
  const iso = entry.requestedAt ?? entry.reportedRebootTime ?? entry.cameBackAt;
  return iso ? Date.parse(iso) : 0;
}

/** How long the action's own answer may stand in for a poll that has not caught up with it yet. */
export const ACTION_BRIDGE_MS = 15_000;

/**
 * The more recent of two views of a device's reboot: the action's answer or the last poll. The action's
 * entry fills the gap until polling has caught up; after `ACTION_BRIDGE_MS` the poll alone decides, so a
 * row never stays "in flight" on an answer the server has since moved past or forgotten.
 */
export function newestEntry(
  polled: RebootEntry | null,
  fromAction: RebootEntry | null,
  actionAgeMs: number,
): RebootEntry | null {
  if (!fromAction) return polled;
  if (polled && polled.id === fromAction.id) {
    return PHASE_ORDER[fromAction.phase] > PHASE_ORDER[polled.phase] ? fromAction : polled;
  }
  if (actionAgeMs > ACTION_BRIDGE_MS) return polled;
  if (!polled) return fromAction;
  return startedAt(fromAction) > startedAt(polled) ? fromAction : polled;
}
