import { describe, expect, it } from 'vitest';
import { formatServerSpec, loadProperties, parseServerSpec } from '../src/index.js';

describe('server.N specs render as ZooKeeper 3.8 does (PROTOCOL.md 3.6)', () => {
  it.each([
    ['zk1:2888:3888', 'zk1:2888:3888:participant'],
    ['zk1:2888:3888:participant;2181', 'zk1:2888:3888:participant;0.0.0.0:2181'],
    ['zk4:2888:3888:observer', 'zk4:2888:3888:observer'],
    ['zk4:2888:3888:OBSERVER', 'zk4:2888:3888:observer'],
    ['10.0.0.1:2888:3888;10.0.0.1:2181', '10.0.0.1:2888:3888:participant;10.0.0.1:2181'],
    ['[::1]:2888:3888', '[0:0:0:0:0:0:0:1]:2888:3888:participant'],
    ['[2001:DB8::7]:2888:3888;[::1]:2181', '[2001:db8:0:0:0:0:0:7]:2888:3888:participant;[0:0:0:0:0:0:0:1]:2181'],
    ['[::ffff:10.0.0.1]:2888:3888', '10.0.0.1:2888:3888:participant'],
    ['zk1:2888:3888:', 'zk1:2888:3888:participant'], // Java's split drops the trailing empty field
    ['b:1:2|a:3:4', 'a:3:4|b:1:2:participant'],
  ])('%s → %s', (spec, rendered) => {
    const s = parseServerSpec(1n, spec, {}, { multiAddressEnabled: true });
    expect(formatServerSpec(s)).toBe(rendered);
  });

  it('a client address taken from zoo.cfg clientPort is not rendered', () => {
    const s = parseServerSpec(1n, 'zk1:2888:3888');
    expect(formatServerSpec({ ...s, clientAddress: { host: '0.0.0.0', port: 2181 }, clientFromStatic: true })).toBe('zk1:2888:3888:participant');
  });
});

describe('Java Properties syntax', () => {
  it('separators, escapes, continuations and line numbers', () => {
    const text = [
      'a=1', //                    1
      '  b : 2', //                2
      'c 3', //                    3
      '# comment \\', //           4 (a comment never continues)
      'd=x\\', //                  5
      '   y\\', //                 6
      '      z', //                7
      'e\\:f=g\\th\\u0041', //     8
      '', //                       9
      'g', //                     10
      'h==v', //                  11
      'i= trailing  ', //         12
    ].join('\r\n');
    expect(loadProperties(text)).toEqual([
      { key: 'a', value: '1', line: 1 },
      { key: 'b', value: '2', line: 2 },
      { key: 'c', value: '3', line: 3 },
      { key: 'd', value: 'xyz', line: 5 },
      { key: 'e:f', value: 'g\thA', line: 8 },
      { key: 'g', value: '', line: 10 },
      { key: 'h', value: '=v', line: 11 },
      { key: 'i', value: 'trailing  ', line: 12 },
    ]);
  });

  it('an even number of trailing backslashes does not continue', () => {
    expect(loadProperties('a=x\\\\\nb=y').map((e) => [e.key, e.value])).toEqual([['a', 'x\\'], ['b', 'y']]);
  });
});
