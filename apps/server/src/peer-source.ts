// @zkvote/peer behind the PeerSource seam: the Peer's events and electionInfo() become the
// status snapshot and event stream the admin API, four-letter words, metrics and logs read.

import { EventEmitter } from 'node:events';
import { createPeer, PeerError, type Peer, type PeerElectionEvent, type Vote } from '@zkvote/peer';
import { stateName } from '@zkvote/wire';
import type { ServerConfig } from './config.js';
import { peerOptions } from './peer-options.js';
import { ServerError } from './errors.js';
import type { PackageLogger } from './logging.js';
import type { ConnectionView, ElectionEventView, PeerSource, PeerStatus, VoteView } from './status.js';

function voteView(v: Vote | null): VoteView | null {
  if (v === null) return null;
  return { leader: v.leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch, state: stateName(v.state) };
}

/** Election events as stream entries: `kind` is the peer's event type, the rest as is. */
export function eventView(e: PeerElectionEvent): ElectionEventView {
  const { type, ...rest } = e;
  if ('vote' in rest) return { kind: type, ...rest, vote: voteView(rest.vote) };
  return { kind: type, ...rest };
}

export class PeerAdapter extends EventEmitter implements PeerSource {
  readonly peer: Peer;
  readonly #learnerType: 'participant' | 'observer';

  constructor(peer: Peer, learnerType: 'participant' | 'observer') {
    super();
    this.peer = peer;
    this.#learnerType = learnerType;
    const changed = (): void => {
      this.emit('change');
    };
    peer.on('state', changed);
    peer.on('leader', changed);
    peer.on('electionEvent', (e) => this.emit('event', eventView(e)));
  }

  status(): PeerStatus {
    const i = this.peer.electionInfo();
    const session = i.session;
    const learners =
      session.kind === 'leader' ? session.learners.filter((l) => l.stage === 'established' && l.role !== 'observer').map((l) => l.sid) : [];
    const connections: ConnectionView[] = i.connections.map((c) => ({ ...c, connected: c.state === 'connected' }));
    return {
      sid: i.myid,
      state: i.state,
      learnerType: this.#learnerType,
      leader: i.leader,
      round: i.round,
      zxid: i.lastZxid,
      proposal: voteView(i.proposal),
      currentVote: voteView(i.currentVote),
      recvset: new Map(i.recvset.map((r) => [r.sid, voteView(r.vote) as VoteView])),
      outofelection: new Map(i.outofelection.map((r) => [r.sid, voteView(r.vote) as VoteView])),
      connections,
      acceptedEpoch: i.acceptedEpoch,
      currentEpoch: i.currentEpoch,
      establishedEpoch: i.epoch,
      learners,
      lastElectionMs: i.lastElectionDurationMs,
      messages: { ...i.messages },
      extra: { session },
    };
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}

/** The default PeerFactory: @zkvote/peer's createPeer + start, errors as one-line ServerErrors. */
export async function startZkvotePeer(config: ServerConfig, logger: PackageLogger): Promise<PeerSource> {
  try {
    const peer = await createPeer({ ...config.peer, logger });
    const source = new PeerAdapter(peer, config.learnerType);
    await peer.start();
    return source;
  } catch (e) {
    if (PeerError.isInstance(e)) {
      const code = e.code === 'LISTEN_FAILED' ? (/EADDRINUSE/.test(e.message) ? 'PORT_IN_USE' : 'LISTEN') : e.code.startsWith('MYID') ? 'MYID' : e.code.startsWith('DATADIR') ? 'DATA_DIR' : 'PEER';
      throw new ServerError(code, e.message, { cause: e });
    }
    throw e;
  }
}
