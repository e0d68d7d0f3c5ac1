import { describe, expect, it } from 'vitest';
import { intelPhase } from './intel-phase.ts';

const LIVE_SINCE = Date.UTC(2026, 10, 25, 14, 0, 0);
const context = { historyIds: new Set(['CAD-20250601-L1-1']), liveSinceMs: LIVE_SINCE };

describe('which part of the run an intelligence message answers', () => {
  it('counts one of this run’s history calls as history, even when it was stamped after the feed started', () => {
    expect(intelPhase({ incidentId: 'CAD-20250601-L1-1', receivedAt: LIVE_SINCE - 86_400_000 }, context)).toBe('history');
    expect(intelPhase({ incidentId: 'CAD-20250601-L1-1', receivedAt: LIVE_SINCE + 5 }, context)).toBe('history');
  });

  it('shows any call received since the feed started as live, whoever sent it', () => {
    expect(intelPhase({ incidentId: 'CAD-20261125-L1-9', receivedAt: LIVE_SINCE }, context)).toBe('live');
    expect(intelPhase({ incidentId: 'CAD-20261125-other-3', receivedAt: LIVE_SINCE + 60_000 }, context)).toBe('live');
  });

  it('skips a backlog from before this run as earlier', () => {
    expect(intelPhase({ incidentId: 'CAD-20261124-old-3', receivedAt: LIVE_SINCE - 1 }, context)).toBe('earlier');
  });
});
