// A tiny in-test network for scenario scripts: cores exchange real encoded notifications
// (buildMsg/parse) through one FIFO queue the script delivers, drops or reorders; timers run on a
// virtual clock. Not a simulator: nothing happens unless a script line asks for it.

import { buildMsg, parse, ServerState, stateName, type BuildLayout } from '@zkvote/wire';
import { parseDynamicConfig, type QuorumVerifier } from '@zkvote/quorum';
import {
  FastLeaderElection,
  type Action,
  type Decision,
  type ElectionEvent,
  type ElectionNotification,
  type TimerName,
} from '../src/index.js';

export interface ServerSpec {
  sid: bigint;
  observer: boolean;
  zxid: bigint;
  epoch: bigint;
  layout: BuildLayout;
  /** Only in the last-seen (proposed) configuration, not the committed one. */
  next?: boolean;
}

interface Node {
  spec: ServerSpec;
  core: FastLeaderElection | null;
  timers: Map<TimerName, number>;
  decisions: (Decision & { at: number })[];
  events: ElectionEvent[];
  busy: boolean;
}

interface Msg {
  from: bigint;
  to: bigint;
  payload: Uint8Array;
}

export interface NetOptions {
  fast?: boolean;
  /** Extra config lines (group.N=…, weight.N=…) making the verifier hierarchical. */
  extraConfig?: string[];
  lastSeen?: { servers: bigint[]; version: bigint } | null;
}

const MAX_STEPS = 100_000;

export class Net {
  now = 0;
  readonly nodes = new Map<bigint, Node>();
  readonly queue: Msg[] = [];
  readonly timeline: string[] = [];
  /** Every notification any core asked to send, delivered or not. */
  readonly sent: { from: bigint; to: bigint; n: ElectionNotification; at: number }[] = [];
  readonly verifier: QuorumVerifier;
  readonly lastSeen: QuorumVerifier | null;
  /** Pairs "a-b" (a < b) with a live election connection. */
  readonly links = new Set<string>();
  /** The connection manager's one-slot queue per (from, to) while the pair is not connected. */
  readonly slots = new Map<string, Msg>();
  fast: boolean;

  constructor(specs: ServerSpec[], opts: NetOptions = {}) {
    this.fast = opts.fast ?? true;
    const line = (s: { sid: bigint; observer: boolean }): string =>
      `server.${s.sid}=127.0.0.1:${20000 + Number(s.sid)}:${30000 + Number(s.sid)}:${s.observer ? 'observer' : 'participant'}`;
    const text = [...specs.filter((s) => s.next !== true).map(line), ...(opts.extraConfig ?? [])].join('\n');
    this.verifier = parseDynamicConfig(text).verifier;
    const ls = opts.lastSeen ?? null;
    this.lastSeen =
      ls === null ? null : parseDynamicConfig(ls.servers.map((sid) => line({ sid, observer: false })).join('\n'), { version: ls.version }).verifier;
    for (const spec of specs) {
      this.nodes.set(spec.sid, { spec, core: null, timers: new Map(), decisions: [], events: [], busy: false });
    }
  }

  node(sid: bigint): Node {
    const n = this.nodes.get(sid);
    if (n === undefined) throw new Error(`no server ${sid}`);
    return n;
  }

  core(sid: bigint): FastLeaderElection {
    const c = this.node(sid).core;
    if (c === null) throw new Error(`server ${sid} is down`);
    return c;
  }

  isUp(sid: bigint): boolean {
    return this.node(sid).core !== null;
  }

  /** A fresh election object (round 0) that starts looking, connected to every up server. */
  boot(sid: bigint): void {
    const node = this.node(sid);
    node.core = new FastLeaderElection({
      myid: sid,
      verifier: this.verifier,
      lastSeenVerifier: this.lastSeen,
      learnerType: node.spec.observer ? 'observer' : 'participant',
      fastDecision: this.fast,
    });
    node.timers.clear();
    for (const other of this.nodes.values()) if (other.core !== null && other.spec.sid !== sid) this.connect(sid, other.spec.sid);
    this.look(sid);
  }

  /** lookForLeader on an existing election object (round + 1). */
  look(sid: bigint): void {
    const node = this.node(sid);
    this.note(`${sid} looks`);
    this.apply(node, this.core(sid).startLooking({ lastZxid: node.spec.zxid, currentEpoch: node.spec.epoch }));
  }

  crash(sid: bigint): void {
    const node = this.node(sid);
    node.core = null;
    node.timers.clear();
    this.note(`${sid} crashes`);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const m = this.queue[i] as Msg;
      if (m.from === sid || m.to === sid) this.queue.splice(i, 1);
    }
    for (const other of this.nodes.keys()) if (other !== sid) this.disconnect(sid, other);
    for (const [key, m] of this.slots) if (m.from === sid) this.slots.delete(key);
  }

  connect(a: bigint, b: bigint): void {
    const key = linkKey(a, b);
    if (this.links.has(key) || !this.isUp(a) || !this.isUp(b)) return;
    this.links.add(key);
    // What waited in a send slot goes out first on the new connection.
    for (const k of [`${a}>${b}`, `${b}>${a}`]) {
      const m = this.slots.get(k);
      if (m !== undefined) {
        this.slots.delete(k);
        this.queue.push(m);
      }
    }
    this.apply(this.node(a), this.core(a).connectionUp(b));
    this.apply(this.node(b), this.core(b).connectionUp(a));
  }

  disconnect(a: bigint, b: bigint): void {
    const key = linkKey(a, b);
    if (!this.links.delete(key)) return;
    for (const [x, y] of [[a, b], [b, a]] as const) if (this.isUp(x)) this.apply(this.node(x), this.core(x).connectionDown(y));
  }

  /** Deliver the oldest queued message matching from/to (undefined = any). */
  deliverOne(from?: bigint, to?: bigint): boolean {
    const i = this.queue.findIndex((m) => (from === undefined || m.from === from) && (to === undefined || m.to === to));
    if (i < 0) return false;
    const [m] = this.queue.splice(i, 1) as [Msg];
    const node = this.node(m.to);
    if (node.core === null) return true;
    const n = parse(m.payload);
    this.note(`${m.from}->${m.to} ${describe(n)}`);
    this.apply(node, node.core.receive(m.from, n));
    return true;
  }

  deliverAll(from?: bigint, to?: bigint): void {
    for (let i = 0; i < MAX_STEPS; i++) if (!this.deliverOne(from, to)) return;
    throw new Error('deliverAll did not settle');
  }

  /** Hand a notification straight to a core, as if it had come over the connection from `from`. */
  inject(from: bigint, to: bigint, n: ElectionNotification): void {
    const node = this.node(to);
    this.note(`${from}=>${to} ${describe(n)} (injected)`);
    this.apply(node, this.core(to).receive(from, n));
  }

  lastSent(from: bigint, to: bigint): ElectionNotification | undefined {
    return this.sent.filter((s) => s.from === from && s.to === to).at(-1)?.n;
  }

  /** Drop queued messages and send-slot contents matching from/to. */
  drop(from?: bigint, to?: bigint): number {
    let dropped = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const m = this.queue[i] as Msg;
      if ((from === undefined || m.from === from) && (to === undefined || m.to === to)) {
        this.queue.splice(i, 1);
        dropped++;
      }
    }
    for (const [key, m] of this.slots) {
      if ((from === undefined || m.from === from) && (to === undefined || m.to === to)) {
        this.slots.delete(key);
        dropped++;
      }
    }
    this.note(`dropped ${dropped}`);
    return dropped;
  }

  /** Advance the virtual clock, firing due timers in order; `deliver` empties the queue after each. */
  advance(ms: number, deliver: boolean): void {
    const until = this.now + ms;
    for (let i = 0; i < MAX_STEPS; i++) {
      let next: { node: Node; timer: TimerName; due: number } | null = null;
      for (const node of this.nodes.values()) {
        for (const [timer, due] of node.timers) if (due <= until && (next === null || due < next.due)) next = { node, timer, due };
      }
      if (next === null) break;
      this.now = next.due;
      next.node.timers.delete(next.timer);
      const sid = next.node.spec.sid;
      this.note(`${sid} timer ${next.timer}`);
      this.apply(next.node, this.core(sid).timerFired(next.timer, { someQueueEmpty: !next.node.busy }));
      if (deliver) this.deliverAll();
    }
    this.now = until;
  }

  decision(sid: bigint): (Decision & { at: number }) | undefined {
    return this.node(sid).decisions.at(-1);
  }

  private apply(node: Node, actions: Action[]): void {
    const sid = node.spec.sid;
    for (const a of actions) {
      switch (a.type) {
        case 'send':
          this.send(node, a.to, a.notification);
          break;
        case 'setTimer':
          node.timers.set(a.timer, this.now + a.delayMs);
          break;
        case 'cancelTimer':
          node.timers.delete(a.timer);
          break;
        case 'connectAll':
          this.note(`${sid} connectAll`);
          break;
        case 'decided':
          node.decisions.push({ ...a, at: this.now });
          this.note(`${sid} decides ${stateName(a.state)} ${a.vote.leader} round ${a.vote.electionEpoch}${a.fast ? ' (fast)' : ''}`);
          break;
        case 'restart':
          this.note(`${sid} restarts on config ${a.verifier.version}`);
          break;
        case 'event':
          node.events.push(a.event);
          break;
      }
    }
  }

  private send(node: Node, to: bigint, n: ElectionNotification): void {
    const from = node.spec.sid;
    this.sent.push({ from, to, n, at: this.now });
    const m = { from, to, payload: buildMsg(n, node.spec.layout) };
    if (to === from || this.links.has(linkKey(from, to))) this.queue.push(m);
    else if (this.nodes.has(to)) this.slots.set(`${from}>${to}`, m);
  }

  private note(s: string): void {
    this.timeline.push(`t=${this.now} ${s}`);
  }
}

function linkKey(a: bigint, b: bigint): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`;
}

function describe(n: ElectionNotification): string {
  return `${stateName(n.state)} (${n.leader}, 0x${n.zxid.toString(16)}, r${n.electionEpoch}, e${n.peerEpoch}) v${n.version}`;
}

export { ServerState };
