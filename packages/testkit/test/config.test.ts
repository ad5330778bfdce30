import { describe, expect, it } from 'vitest';
import { serverLine, serverLines, zooCfgText } from '../src/index.js';

describe('zoo.cfg text', () => {
  it('writes membership lines sorted by sid, observers marked', () => {
    expect(
      serverLines([
        { sid: 3, quorumPort: 3003, electionPort: 4003, type: 'observer' },
        { sid: 1, host: '127.0.0.2', quorumPort: 3001, electionPort: 4001 },
      ]),
    ).toEqual(['server.1=127.0.0.2:3001:4001', 'server.3=127.0.0.1:3003:4003:observer']);
    expect(serverLine({ sid: 2, quorumPort: 1, electionPort: 2, type: 'participant' })).toBe('server.2=127.0.0.1:1:2');
  });

  it('matches the loopback template, with extraConfig overriding in place', () => {
    const text = zooCfgText({
      dataDir: '/d/data',
      clientPort: 21811,
      adminPort: 18081,
      observer: true,
      servers: [{ sid: 1, quorumPort: 28881, electionPort: 38881, type: 'observer' }],
      extraConfig: { tickTime: '500', 'electionPortBindRetry': '3' },
    });
    expect(text).toBe(
      [
        'tickTime=500',
        'initLimit=10',
        'syncLimit=5',
        'dataDir=/d/data',
        'clientPort=21811',
        'clientPortAddress=127.0.0.1',
        '4lw.commands.whitelist=*',
        'admin.enableServer=true',
        'admin.serverAddress=127.0.0.1',
        'admin.serverPort=18081',
        'peerType=observer',
        'electionPortBindRetry=3',
        'server.1=127.0.0.1:28881:38881:observer',
        '',
      ].join('\n'),
    );
  });
});
