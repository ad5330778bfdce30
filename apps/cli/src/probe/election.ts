// Asks one server for its vote through its election port, as a non-voting peer would
// (PROTOCOL.md 1.2-1.5, 3.6, 4.5): handshake with a sid larger than the target's (a smaller one
// makes the target close and connect back), one LOOKING notification, then the first decodable
// notification that comes back is the answer. Works unchanged against ZooKeeper 3.5+ and zkvote.

import net from 'node:net';
import {
  buildHandshake,
  buildMsg,
  encodeFrame,
  FrameDecoder,
  ServerState,
  stateName,
  tryParse,
  type ParsedNotification,
} from '@zkvote/wire';
import { CliError, errorText } from '../errors.js';

export interface ElectionProbeOptions {
  /** Our sid; it must be larger than the target's or the target hangs up. */
  sid: bigint;
  /**
   * The ensemble's own committed config text with its version (the verifier's toString()).
   * Sent in a version-2 notification; null sends the config-less 40-byte layout instead.
   * Never pass a different membership with a higher version: LOOKING targets would restart
   * their election (PROTOCOL.md 3.6).
   */
  config: string | null;
  /** Whole exchange: connect, write, answer. Default 2000 ms. */
  timeoutMs?: number;
}

export interface ElectionVote {
  /** ServerState name, or `UNKNOWN(n)` for a code outside 0..3. */
  state: string;
  leader: bigint;
  zxid: bigint;
  /** The target's logicalclock (its round) as it answers non-voters. */
  electionEpoch: bigint;
  peerEpoch: bigint;
  /** Message-format version of the answer (2 for ZooKeeper 3.5+). */
  version: number;
  /** Config text the target sent, if any. */
  config: string | null;
}

const utf8 = new TextDecoder();

function voteOf(n: ParsedNotification): ElectionVote {
  return {
    state: stateName(n.state),
    leader: n.leader,
    zxid: n.zxid,
    electionEpoch: n.electionEpoch,
    peerEpoch: n.peerEpoch,
    version: n.version,
    config: n.config === null ? null : utf8.decode(n.config),
  };
}

/** Probes host:port; rejects with a CliError('PROBE') whose message suits a table cell. */
export function probeElectionPort(host: string, port: number, options: ElectionProbeOptions): Promise<ElectionVote> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const payload =
    options.config === null
      ? buildMsg({ state: ServerState.LOOKING, leader: options.sid, zxid: 0n, electionEpoch: 1n, peerEpoch: 0n }, 'v0-40')
      : buildMsg({
          state: ServerState.LOOKING,
          leader: options.sid,
          zxid: 0n,
          electionEpoch: 1n,
          peerEpoch: 0n,
          version: 2,
          config: options.config,
        });
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (error: CliError | null, vote?: ElectionVote): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else resolve(vote as ElectionVote);
    };
    const timer = setTimeout(
      () => finish(new CliError('PROBE', `expected a notification within ${timeoutMs} ms, got none`)),
      timeoutMs,
    );
    const decoder = new FrameDecoder();
    socket.setNoDelay(true);
    socket.once('connect', () => {
      // The handshake names our own address; with our larger sid the target never connects back.
      const handshake = buildHandshake({
        sid: options.sid,
        addresses: [{ host: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0 }],
        protocol: 'v1',
      });
      const frame = encodeFrame(payload);
      const burst = new Uint8Array(handshake.length + frame.length);
      burst.set(handshake, 0);
      burst.set(frame, handshake.length);
      socket.write(burst);
    });
    socket.on('data', (chunk: Buffer) => {
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        finish(new CliError('PROBE', `expected election frames, got ${errorText(e)}`));
        return;
      }
      for (const f of frames) {
        const parsed = tryParse(f);
        if (parsed.ok) {
          finish(null, voteOf(parsed.value));
          return;
        }
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => finish(new CliError('PROBE', socketErrorText(e))));
    socket.on('close', () =>
      finish(
        new CliError(
          'PROBE',
          `expected a notification, got the connection closed (is sid ${options.sid} larger than the target's?)`,
        ),
      ),
    );
  });
}

export function socketErrorText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENOTFOUND':
      return `unknown host (${e.message})`;
    default:
      return e.message;
  }
}
