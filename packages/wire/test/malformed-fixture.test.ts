// Acceptance 2 (captured): every case of zk-3.8.0-malformed-inputs.json, fed through a
// test acceptor, ends the way ZooKeeper 3.8.0's log says it did.

import { describe, expect, it } from 'vitest';
import cases from './fixtures/zk-3.8.0-malformed-inputs.json' with { type: 'json' };
import { configText, parse, stateName } from '../src/index.js';
import { bytes } from './helpers.js';
import { receive } from './receiver.js';

interface MalformedCase {
  target_sid: number;
  case: string;
  sent_hex: string[];
  log: string[];
  received_frames: Array<{ hex: string; decoded: Record<string, unknown> }>;
}

const all = cases as MalformedCase[];

describe('ZooKeeper 3.8.0 malformed-input captures', () => {
  it('has both targets and all seven cases', () => {
    expect(all).toHaveLength(14);
    expect(new Set(all.map((c) => c.case))).toEqual(new Set(['i-a', 'i-b', 'ii', 'iii', 'iii-b', 'iv', 'v']));
  });

  it.each(all.map((c) => [`sid ${c.target_sid} case ${c.case}`, c] as const))('%s', (_name, c) => {
    const log = c.log.join('\n');
    const got = receive(c.sent_hex.map((h) => bytes(h)));
    let rule: string;

    let m: RegExpMatchArray | null;
    if ((m = log.match(/unrecognized protocol version (-?\d+)/))) {
      rule = 'bad version';
      expect(got.fatal?.code).toBe('BAD_PROTOCOL_VERSION');
      expect(got.fatal?.message).toContain(m[1]);
    } else if ((m = log.match(/Unreasonable buffer length: (-?\d+)/))) {
      rule = 'bad address length';
      expect(got.fatal?.code).toBe('BAD_ADDRESS_LENGTH');
      expect(got.fatal?.message).toContain(m[1]);
    } else if ((m = log.match(/Got a short response from server (\d+): (\d+)/))) {
      rule = 'short notification';
      expect(got.fatal).toBeNull();
      expect(got.handshake?.sid).toBe(BigInt(m[1]!));
      expect(got.frames.map((f) => f.length)).toEqual([Number(m[2])]);
      const [result] = got.notifications;
      expect(result?.ok).toBe(false);
      if (result && !result.ok) expect(result.error.code).toBe('SHORT_NOTIFICATION');
    } else if ((m = log.match(/invalid packet: (-?\d+)/))) {
      rule = 'bad frame length';
      expect(got.handshake?.sid).toBe(99n);
      expect(got.frames).toEqual([]);
      expect(got.fatal?.code).toBe('FRAME_LENGTH');
      expect(got.fatal?.message).toContain(m[1]);
    } else if ((m = log.match(/Cannot open channel to (\d+) at election address \/([\d.]+):(\d+)/))) {
      rule = 'smaller sid, connect back';
      expect(got.fatal).toBeNull();
      expect(got.handshake?.sid).toBe(BigInt(m[1]!));
      expect(got.handshake?.addresses).toEqual([{ host: m[2], port: Number(m[3]) }]);
    } else if ((m = log.match(/Connection broken for id (\d+)/))) {
      rule = 'accepted';
      expect(got.fatal).toBeNull();
      expect(got.handshake?.sid).toBe(BigInt(m[1]!));
      for (const n of got.notifications) expect(n.ok).toBe(true);
    } else {
      throw new Error(`no rule for case ${c.case}`);
    }
    expect(rule).toBeTruthy();

    // What ZooKeeper answered (iii-b, iv) decodes too.
    for (const frame of c.received_frames) {
      const [payload] = receive([bytes('7fffffffffffffff'), bytes(frame.hex)]).frames;
      const n = parse(payload!);
      expect(stateName(n.state)).toBe(frame.decoded.state_name);
      expect(n.leader).toBe(BigInt(String(frame.decoded.leader)));
      expect(n.peerEpoch).toBe(BigInt(String(frame.decoded.peerEpoch)));
      expect(configText(n)).toBe(frame.decoded.config);
    }
  });

  it('case i-b is the ASCII sid ZooKeeper logged', () => {
    const got = receive([bytes('6e777d43bd655661')]);
    expect(got.handshake).toMatchObject({ protocol: 'legacy', sid: 7959968596294456929n });
  });
});
