import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';
import { observed } from './observers.js';

describe('metrics', () => {
  it('exposes ZooKeeper names and zkvote_* values read at scrape time', async () => {
    const { ctx, peer, clock } = observed();
    const m = createMetrics(ctx, { defaultMetrics: false });
    clock.t += 120;
    peer.decide('LEADING', 2n, 3n);
    peer.update({ learners: [1n, 3n], establishedEpoch: 5n, messages: { sent: 11, received: 8 }, connections: [{ sid: 1n, connected: true }] });
    const text = await m.registry.metrics();
    expect(text).toContain('election_time_count 1');
    expect(text).toContain('election_time_sum 120');
    expect(text).toContain('looking_count 1');
    expect(text).toContain('quorum_size 3');
    expect(text).toContain('learners 2');
    expect(text).toContain('zkvote_state 2');
    expect(text).toContain('zkvote_election_round 3');
    expect(text).toContain('zkvote_leader 2');
    expect(text).toContain('zkvote_established_epoch 5');
    expect(text).toContain('zkvote_notifications_sent_total 11');
    expect(text).toContain('zkvote_notifications_received_total 8');
    expect(text).toContain('zkvote_connected_peers 1');
    expect(text).toContain('zkvote_elections_total 1');
    peer.update({ state: 'LOOKING', leader: null });
    const again = await m.registry.metrics();
    expect(again).toContain('looking_count 2');
    expect(again).toContain('zkvote_leader -1');
    expect(again).toContain('learners 0');
    m.detach();
  });
});
