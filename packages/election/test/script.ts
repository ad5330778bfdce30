// The scenario language: one command per line (or `;`-separated), header lines first.
//
//   servers 1,2,3                      server 3 zxid=0x100000005 epoch=1 observer layout=v0-40
//   option fast=off                    config group.1=1:2:3      lastseen 1,2,3,4 version=0x1
//   start 1,3      look 1,2      crash 3      connect 1-3      disconnect 1-3      busy 1 / idle 1
//   deliver all | deliver 1->3 | deliver *->3 | deliver one 1->3      drop all | drop 1->*
//   tick 200 (fire timers only)        run 1000 (fire timers, deliver everything after each)
//   expect 1 FOLLOWING 3 [round=2] [fast|slow] [at=200] [path=recvset]    expect 3 LOOKING
//   expect 1 clock=2 | expect 1 proposal=3 | expect queue=0

import { ServerState, type BuildLayout } from '@zkvote/wire';
import type { ElectionNotification } from '../src/index.js';
import { Net, type NetOptions, type ServerSpec } from './harness.js';

const STATES = ['LOOKING', 'FOLLOWING', 'LEADING', 'OBSERVING'] as const;

export function runScript(script: string, net0?: Net): Net {
  const specs = new Map<bigint, ServerSpec>();
  const opts: NetOptions & { extraConfig: string[] } = { extraConfig: [] };
  let net = net0 ?? null;
  const lines = script
    .split(/\n|;/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.length > 0);
  for (const line of lines) {
    const [cmd = '', ...args] = line.split(/\s+/);
    try {
      if (net === null && isHeader(cmd)) {
        header(cmd, args, specs, opts);
        continue;
      }
      net ??= new Net([...specs.values()], opts);
      command(net, cmd, args);
    } catch (e) {
      const timeline = net === null ? '' : `\ntimeline:\n  ${net.timeline.join('\n  ')}`;
      throw new Error(`scenario line "${line}": ${(e as Error).message}${timeline}`);
    }
  }
  if (net === null) throw new Error('empty scenario');
  return net;
}

function isHeader(cmd: string): boolean {
  return ['servers', 'server', 'option', 'config', 'lastseen'].includes(cmd);
}

function header(cmd: string, args: string[], specs: Map<bigint, ServerSpec>, opts: NetOptions & { extraConfig: string[] }): void {
  const spec = (sid: bigint): ServerSpec => {
    let s = specs.get(sid);
    if (s === undefined) {
      s = { sid, observer: false, zxid: 0n, epoch: 0n, layout: 'v2' };
      specs.set(sid, s);
    }
    return s;
  };
  switch (cmd) {
    case 'servers':
      for (const sid of sids(args[0])) spec(sid);
      return;
    case 'server': {
      const s = spec(BigInt(args[0] ?? ''));
      for (const a of args.slice(1)) {
        const [k, v = ''] = a.split('=');
        if (k === 'observer') s.observer = true;
        else if (k === 'next') s.next = true;
        else if (k === 'zxid') s.zxid = BigInt(v);
        else if (k === 'epoch') s.epoch = BigInt(v);
        else if (k === 'layout') s.layout = v as BuildLayout;
        else throw new Error(`unknown server attribute ${k}`);
      }
      return;
    }
    case 'option':
      for (const a of args) {
        const [k, v] = a.split('=');
        if (k === 'fast') opts.fast = v === 'on';
        else throw new Error(`unknown option ${k}`);
      }
      return;
    case 'config':
      opts.extraConfig.push(args.join(' '));
      return;
    case 'lastseen': {
      const version = BigInt((args[1] ?? 'version=0').split('=')[1] ?? '0');
      opts.lastSeen = { servers: sids(args[0]), version };
      return;
    }
  }
}

function command(net: Net, cmd: string, args: string[]): void {
  switch (cmd) {
    case 'start':
      for (const sid of sids(args[0])) net.boot(sid);
      return;
    case 'look':
      for (const sid of sids(args[0])) net.look(sid);
      return;
    case 'crash':
      for (const sid of sids(args[0])) net.crash(sid);
      return;
    case 'connect':
    case 'disconnect': {
      const [a, b] = (args[0] ?? '').split('-').map(BigInt) as [bigint, bigint];
      if (cmd === 'connect') net.connect(a, b);
      else net.disconnect(a, b);
      return;
    }
    case 'busy':
    case 'idle':
      for (const sid of sids(args[0])) net.node(sid).busy = cmd === 'busy';
      return;
    case 'deliver': {
      const one = args[0] === 'one';
      const [from, to] = route(one ? args[1] : args[0]);
      if (one) {
        if (!net.deliverOne(from, to)) throw new Error('nothing to deliver');
      } else net.deliverAll(from, to);
      return;
    }
    case 'drop': {
      const [from, to] = route(args[0]);
      net.drop(from, to);
      return;
    }
    case 'tick':
    case 'run':
      net.advance(Number(args[0]), cmd === 'run');
      return;
    case 'expect':
      if (args[0] === 'sent') expectSent(net, args.slice(1));
      else expectLine(net, args);
      return;
    case 'inject': {
      const [from, to] = route(args[0]) as [bigint, bigint];
      net.inject(from, to, notification(args.slice(1)));
      return;
    }
    case 'sync': // updateElectionVote after the new epoch is agreed
      for (const sid of sids(args[0])) {
        const epoch = BigInt((args[1] ?? '').replace('epoch=', ''));
        net.core(sid).updatePeerEpoch(epoch);
        net.node(sid).spec.epoch = epoch; // the currentEpoch file follows
      }
      return;
    default:
      throw new Error(`unknown command ${cmd}`);
  }
}

function expectLine(net: Net, args: string[]): void {
  if (args[0]?.startsWith('queue=')) {
    const want = Number(args[0].slice(6));
    if (net.queue.length !== want) throw new Error(`expected ${want} queued messages, got ${net.queue.length}`);
    return;
  }
  const sid = BigInt(args[0] ?? '');
  const core = net.core(sid);
  let i = 1;
  const stateArg = args[i];
  if (stateArg !== undefined && (STATES as readonly string[]).includes(stateArg)) {
    const want = ServerState[stateArg as (typeof STATES)[number]];
    if (core.state !== want) throw new Error(`expected ${sid} ${stateArg}, got ${ServerState[core.state]}`);
    i++;
    if (want !== ServerState.LOOKING) {
      const d = net.decision(sid);
      if (d === undefined) throw new Error(`expected ${sid} to have decided`);
      const leaderArg = args[i];
      if (leaderArg !== undefined && /^-?\d+$/.test(leaderArg)) {
        if (d.vote.leader !== BigInt(leaderArg)) throw new Error(`expected ${sid} to follow ${leaderArg}, got ${d.vote.leader}`);
        i++;
      } else if (want === ServerState.LEADING && d.vote.leader !== sid) {
        throw new Error(`expected ${sid} to lead, got leader ${d.vote.leader}`);
      }
      for (const a of args.slice(i)) {
        if (a.startsWith('clock=')) {
          if (core.logicalclock !== BigInt(a.slice(6))) throw new Error(`expected ${sid} clock ${a.slice(6)}, got ${core.logicalclock}`);
        } else checkDecision(sid, d, a);
      }
      return;
    }
  }
  for (const a of args.slice(i)) {
    const [k, v = ''] = a.split('=');
    if (k === 'clock' && core.logicalclock !== BigInt(v)) throw new Error(`expected ${sid} clock ${v}, got ${core.logicalclock}`);
    else if (k === 'proposal' && core.proposal?.leader !== BigInt(v))
      throw new Error(`expected ${sid} to propose ${v}, got ${core.proposal?.leader}`);
    else if (k === 'finalizing' && core.snapshot().finalizing !== (v === 'yes'))
      throw new Error(`expected ${sid} finalizing=${v}, got ${core.snapshot().finalizing}`);
    else if (!['clock', 'proposal', 'finalizing'].includes(k ?? '')) throw new Error(`unknown expectation ${a}`);
  }
}

function checkDecision(sid: bigint, d: NonNullable<ReturnType<Net['decision']>>, a: string): void {
  const [k, v = ''] = a.split('=');
  if (k === 'fast' && !d.fast) throw new Error(`expected ${sid} to decide fast, got finalizeWait`);
  else if (k === 'slow' && d.fast) throw new Error(`expected ${sid} to wait finalizeWait, got a fast decision`);
  else if (k === 'round' && d.vote.electionEpoch !== BigInt(v)) throw new Error(`expected ${sid} round ${v}, got ${d.vote.electionEpoch}`);
  else if (k === 'at' && d.at !== Number(v)) throw new Error(`expected ${sid} to decide at t=${v}, got t=${d.at}`);
  else if (k === 'path' && d.path !== v) throw new Error(`expected ${sid} path ${v}, got ${d.path}`);
  else if (k === 'epoch' && d.vote.peerEpoch !== BigInt(v)) throw new Error(`expected ${sid} peerEpoch ${v}, got ${d.vote.peerEpoch}`);
  else if (k === 'zxid' && d.vote.zxid !== BigInt(v)) throw new Error(`expected ${sid} zxid ${v}, got ${d.vote.zxid}`);
  else if (!['fast', 'slow', 'round', 'at', 'path', 'epoch', 'zxid'].includes(k ?? '')) throw new Error(`unknown expectation ${a}`);
}

/** `LOOKING|FOLLOWING|LEADING|OBSERVING|<code> leader=3 zxid=0 round=1 epoch=0 [version=2]` */
function notification(args: string[]): ElectionNotification {
  const [state = '', ...rest] = args;
  const kv = Object.fromEntries(rest.map((a) => a.split('=') as [string, string]));
  const code = /^-?\d+$/.test(state) ? Number(state) : ServerState[state as (typeof STATES)[number]];
  if (code === undefined) throw new Error(`unknown state ${state}`);
  return {
    state: code,
    leader: BigInt(kv.leader ?? '0'),
    zxid: BigInt(kv.zxid ?? '0'),
    electionEpoch: BigInt(kv.round ?? '1'),
    peerEpoch: BigInt(kv.epoch ?? '0'),
    version: Number(kv.version ?? '2'),
    config: null,
  };
}

/** `expect sent 1->9 FOLLOWING leader=3 round=1 epoch=1`: the last notification 1 sent to 9. */
function expectSent(net: Net, args: string[]): void {
  const [from, to] = route(args[0]) as [bigint, bigint];
  const got = net.lastSent(from, to);
  if (got === undefined) throw new Error(`expected ${from} to have sent to ${to}, got nothing`);
  const want = notification(args.slice(1));
  const fields = args.slice(2).map((a) => a.split('=')[0]);
  const key = { leader: 'leader', zxid: 'zxid', round: 'electionEpoch', epoch: 'peerEpoch', version: 'version' } as const;
  const mismatch =
    got.state !== want.state ||
    fields.some((f) => got[key[f as keyof typeof key]] !== want[key[f as keyof typeof key]]);
  if (mismatch) {
    throw new Error(`expected ${from}->${to} ${args.slice(1).join(' ')}, got ${ServerState[got.state] ?? got.state} leader=${got.leader} zxid=${got.zxid} round=${got.electionEpoch} epoch=${got.peerEpoch}`);
  }
}

function sids(arg: string | undefined): bigint[] {
  if (arg === undefined) throw new Error('expected a sid list');
  return arg.split(',').map((s) => BigInt(s));
}

function route(arg: string | undefined): [bigint | undefined, bigint | undefined] {
  if (arg === undefined || arg === 'all') return [undefined, undefined];
  const [a = '*', b = '*'] = arg.split('->');
  return [a === '*' ? undefined : BigInt(a), b === '*' ? undefined : BigInt(b)];
}
