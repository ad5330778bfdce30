import { describe, expect, it } from 'vitest';
import { parseDynamicConfig, parseZooCfg, QuorumConfigError } from '../src/index.js';

const BASE = 'tickTime=2000\ndataDir=/var/zk\ninitLimit=5\nsyncLimit=2\n'; // lines 1-4
const THREE = 'server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n';

function errorOf(fn: () => unknown): QuorumConfigError {
  try {
    fn();
  } catch (e) {
    if (QuorumConfigError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a QuorumConfigError, got success');
}

describe('zoo.cfg: typed settings', () => {
  const text = [
    '# a comment',
    '! another comment',
    'tickTime = 2000',
    'dataDir:/var/lib/zookeeper',
    'initLimit 10',
    'syncLimit=5',
    'clientPort=2181',
    'reconfigEnabled=TRUE',
    'standaloneEnabled=false',
    'quorumListenOnAllIPs=true',
    '4lw.commands.whitelist=srvr, mntr ,ruok',
    'admin.enableServer=false',
    'admin.serverPort=9090',
    'metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider',
    'metricsProvider.httpPort=7000',
    'sslQuorum=true',
    'ssl.quorum.keyStore.location=/etc/zk/ks.jks',
    'zkvote.logLevel=debug',
    'someFutureKey=42',
    'server.1=zk1:2888:3888',
    'server.2=zk2:2888:3888 ',
    'server.3=zk3:2888:3888:observer',
    'server.4=zk4\\',
    '   :2888:3888',
  ].join('\n');
  const cfg = parseZooCfg(text, { file: 'zoo.cfg' });

  it('reads Properties syntax: separators, comments, continuations', () => {
    expect(cfg.tickTime).toBe(2000);
    expect(cfg.dataDir).toBe('/var/lib/zookeeper');
    expect(cfg.dataLogDir).toBe('/var/lib/zookeeper');
    expect(cfg.initLimit).toBe(10);
    expect(cfg.syncLimit).toBe(5);
    expect(cfg.verifier?.members.get(4n)?.addresses[0]).toEqual({ host: 'zk4', quorumPort: 2888, electionPort: 3888 });
  });

  it('types the usual keys', () => {
    expect(cfg).toMatchObject({
      clientPort: 2181,
      clientPortAddress: null,
      electionAlg: 3,
      reconfigEnabled: true,
      standaloneEnabled: false,
      quorumListenOnAllIPs: true,
      multiAddressEnabled: false,
      fourLetterWords: ['srvr', 'mntr', 'ruok'],
      admin: { enableServer: false, serverAddress: '0.0.0.0', serverPort: 9090 },
      sslQuorum: true,
      dynamicConfigFile: null,
      peerType: null,
    });
    expect(cfg.metricsProvider.className).toMatch(/PrometheusMetricsProvider$/);
    expect([...cfg.metricsProvider.properties]).toEqual([['httpPort', '7000']]);
    expect([...cfg.sslQuorumProperties]).toEqual([['ssl.quorum.keyStore.location', '/etc/zk/ks.jks']]);
  });

  it('keeps zkvote.* silently and unknown keys with a warning', () => {
    expect([...cfg.zkvote]).toEqual([['zkvote.logLevel', 'debug']]);
    expect([...cfg.unknown]).toEqual([['someFutureKey', '42']]);
    expect(cfg.warnings).toContainEqual(expect.objectContaining({ file: 'zoo.cfg', line: 19, key: 'someFutureKey' }));
    expect(cfg.warnings.filter((w) => w.key === 'zkvote.logLevel')).toEqual([]);
  });

  it('renders the static servers as ZooKeeper sends them (version 0, no client part)', () => {
    expect(cfg.verifier?.toString()).toBe(
      'server.1=zk1:2888:3888:participant\nserver.2=zk2:2888:3888:participant\nserver.3=zk3:2888:3888:observer\nserver.4=zk4:2888:3888:participant\nversion=0',
    );
  });

  it('gives this server the clientPort address, never rendered', () => {
    const c = parseZooCfg(`${BASE}clientPort=2181\nclientPortAddress=10.0.0.1\n${THREE}`, { myid: 2n });
    expect(c.verifier?.members.get(2n)?.clientAddress).toEqual({ host: '10.0.0.1', port: 2181 });
    expect(c.verifier?.toString()).not.toContain(';');
  });

  it('defaults: tickTime 3000, 4lw srvr, admin on 8080, electionAlg 3', () => {
    const c = parseZooCfg('dataDir=/d');
    expect(c).toMatchObject({ tickTime: 3000, fourLetterWords: ['srvr'], admin: { enableServer: true, serverPort: 8080 }, clientPort: null });
    expect(c.verifier?.toString()).toBe('version=0');
  });

  it('with dynamicConfigFile the quorum lives elsewhere', () => {
    const c = parseZooCfg(`${BASE}dynamicConfigFile=/conf/zoo.cfg.dynamic.100000000\n`);
    expect(c.verifier).toBeNull();
    const d = parseDynamicConfig('server.1=zk1:2888:3888:participant;2181\nserver.2=zk2:2888:3888:participant;zk2:2181\nserver.3=zk3:2888:3888:participant;2181', {
      file: c.dynamicConfigFile ?? '',
    });
    expect(d.verifier.version).toBe(0x100000000n);
    expect(d.verifier.toString()).toBe(
      'server.1=zk1:2888:3888:participant;0.0.0.0:2181\nserver.2=zk2:2888:3888:participant;zk2:2181\nserver.3=zk3:2888:3888:participant;0.0.0.0:2181\nversion=100000000',
    );
  });

  it('a repeated key: the last wins, with a warning', () => {
    const c = parseZooCfg('dataDir=/a\ndataDir=/b');
    expect(c.dataDir).toBe('/b');
    expect(c.warnings[0]).toMatchObject({ line: 2, key: 'dataDir' });
  });
});

// [name, zoo.cfg text, code, line, key, message fragment]
type Bad = [string, string, string, number | undefined, string | undefined, RegExp];
const bad: Bad[] = [
  ['two fields', `${BASE}server.1=zk1:2888`, 'BAD_SERVER_SPEC', 5, 'server.1', /expected host:quorumPort:electionPort/],
  ['five fields', `${BASE}server.1=zk1:2888:3888:participant:x`, 'BAD_SERVER_SPEC', 5, 'server.1', /got "zk1:2888:3888:participant:x"/],
  ['non-numeric port', `${BASE}server.1=zk1:abc:3888`, 'BAD_PORT', 5, 'server.1', /expected a decimal port for zk1, got "abc"/],
  ['port too big', `${BASE}server.1=zk1:2888:70000`, 'PORT_OUT_OF_RANGE', 5, 'server.1', /0\.\.65535, got 70000/],
  ['same ports', `${BASE}server.1=zk1:2888:2888`, 'SAME_PORTS', 5, 'server.1', /different quorum and election ports/],
  ['bad role', `${BASE}server.1=zk1:2888:3888:leader`, 'BAD_ROLE', 5, 'server.1', /participant or observer, got "leader"/],
  ['multi-address off', `${BASE}server.1=zk1:2888:3888|zk1b:2889:3889`, 'MULTI_ADDRESS_DISABLED', 5, 'server.1', /multiAddress\.enabled=false/],
  ['mixed roles', `${BASE}multiAddress.enabled=true\nserver.1=a:1:2:participant|b:1:2:observer`, 'MIXED_ROLES', 6, 'server.1', /same role/],
  ['non-numeric sid', `${BASE}server.one=zk1:2888:3888`, 'BAD_ID', 5, 'server.one', /64-bit integer sid after '\.', got "one"/],
  ['sid twice', `${BASE}server.1=a:1:2\nserver.01=b:1:2`, 'DUPLICATE_ID', 6, 'server.01', /sid 1 once, already given by server\.1 on line 5/],
  ['unclosed bracket', `${BASE}server.1=[::1:2888:3888`, 'BAD_SERVER_SPEC', 5, 'server.1', /expected '\]'/],
  ['client part with 3 fields', `${BASE}server.1=zk1:2888:3888;a:b:2181`, 'BAD_SERVER_SPEC', 5, 'server.1', /client part/],
  ['empty client part', `${BASE}server.1=zk1:2888:3888;:`, 'BAD_SERVER_SPEC', 5, 'server.1', /client part \[clientHost:\]clientPort, got ":"/],
  ['two client parts', `${BASE}server.1=zk1:2888:3888;2181;2182`, 'BAD_SERVER_SPEC', 5, 'server.1', /expected host:quorumPort/],
  ['empty host', `${BASE}server.1=:2888:3888`, 'BAD_SERVER_SPEC', 5, 'server.1', /expected a host name/],
  ['only an observer', `${BASE}server.1=zk1:2888:3888:observer`, 'OBSERVERS_WITHOUT_PARTICIPANTS', 5, 'server.1', /participants alongside 1 observer/],
  ['one participant + observer', `${BASE}server.1=a:1:2\nserver.2=b:1:2:observer`, 'OBSERVERS_WITHOUT_QUORUM', 6, 'server.2', /at least 2 participants/],
  ['standaloneEnabled=false, no servers', `${BASE}standaloneEnabled=false`, 'NO_PARTICIPANTS', 5, 'standaloneEnabled', /at least one participant/],
  ['server in two groups', `${BASE}${THREE}group.1=1:2\ngroup.2=2:3`, 'SERVER_IN_MULTIPLE_GROUPS', 9, 'group.2', /server 2 in one group/],
  ['participant in no group', `${BASE}${THREE}group.1=1:2`, 'SERVER_NOT_IN_GROUP', 7, 'server.3', /participant 3 to be in a group/],
  ['bad group list', `${BASE}${THREE}group.1=1:x:2:3`, 'BAD_GROUP', 8, 'group.1', /sid:sid:\.\.\., got "1:x:2:3"/],
  ['empty group', `${BASE}${THREE}group.1=`, 'BAD_GROUP', 8, 'group.1', /got ""/],
  ['negative weight', `${BASE}${THREE}group.1=1:2:3\nweight.1=-1`, 'BAD_WEIGHT', 9, 'weight.1', /non-negative integer weight, got "-1"/],
  ['word weight', `${BASE}${THREE}group.1=1:2:3\nweight.2=heavy`, 'BAD_WEIGHT', 9, 'weight.2', /got "heavy"/],
  ['observer in group without weight', `${BASE}${THREE}server.4=d:1:2:observer\ngroup.1=1:2:3:4`, 'MISSING_WEIGHT', 9, 'group.1', /explicit weight\.4/],
  ['group key without id', `${BASE}${THREE}groups=1:2:3`, 'BAD_ID', 8, 'groups', /group id/],
  ['server line beside dynamicConfigFile', `${BASE}dynamicConfigFile=/c/dyn\nserver.1=a:1:2`, 'DYNAMIC_KEY_IN_STATIC', 6, 'server.1', /dynamic config file "\/c\/dyn"/],
  ['bad version', `${BASE}${THREE}version=xyz`, 'BAD_VERSION', 8, 'version', /hex version, got "xyz"/],
  ['non-numeric clientPort', `${BASE}clientPort=21x`, 'BAD_NUMBER', 5, 'clientPort', /32-bit integer, got "21x"/],
  ['clientPort out of range', `${BASE}clientPort=70000`, 'PORT_OUT_OF_RANGE', 5, 'clientPort', /got 70000/],
  ['reconfigEnabled=yes', `${BASE}reconfigEnabled=yes`, 'BAD_BOOLEAN', 5, 'reconfigEnabled', /true or false, got "yes"/],
  ['quorumListenOnAllIPs=yes', `${BASE}quorumListenOnAllIPs=yes`, 'BAD_BOOLEAN', 5, 'quorumListenOnAllIPs', /true or false, got "yes"/],
  ['SASL required but disabled', `${BASE}quorum.auth.learnerRequireSasl=true`, 'BAD_SETTING', 5, 'quorum.auth.learnerRequireSasl', /enableSasl=true/],
  ['electionAlg 0', `${BASE}electionAlg=0`, 'BAD_ELECTION_ALG', 5, 'electionAlg', /expected 3/],
  ['no dataDir', 'tickTime=2000', 'MISSING_SETTING', undefined, 'dataDir', /dataDir/],
  ['tickTime 0', `${BASE}tickTime=0`, 'MISSING_SETTING', 5, 'tickTime', /non-zero tickTime/],
  ['clientPortAddress alone', `${BASE}clientPortAddress=10.0.0.1`, 'MISSING_SETTING', 5, 'clientPortAddress', /clientPort to be set/],
  ['no initLimit', `tickTime=2000\ndataDir=/d\nsyncLimit=2\n${THREE}`, 'MISSING_SETTING', undefined, 'initLimit', /initLimit to be set/],
  ['bad peerType', `${BASE}peerType=leader`, 'BAD_ROLE', 5, 'peerType', /observer or participant, got "leader"/],
  ['session timeouts inverted', `${BASE}minSessionTimeout=9000\nmaxSessionTimeout=4000`, 'BAD_SETTING', 5, 'minSessionTimeout', /<= maxSessionTimeout/],
  ['malformed \\u escape', `${BASE}dataLogDir=/x\\u12`, 'SYNTAX', 5, undefined, /4 hex digits/],
];

describe('zoo.cfg: every invalid input names file, line, key and the expectation', () => {
  it('has at least 20 cases', () => expect(bad.length).toBeGreaterThanOrEqual(20));

  it.each(bad)('%s', (_name, text, code, line, key, message) => {
    const e = errorOf(() => parseZooCfg(text, { file: 'conf/zoo.cfg' }));
    expect({ code: e.code, file: e.file, line: e.line, key: e.key }).toEqual({ code, file: 'conf/zoo.cfg', line, key });
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/expected/);
    if (line !== undefined) expect(e.message.startsWith(`conf/zoo.cfg:${line}: `)).toBe(true);
  });
});

describe('dynamic config file', () => {
  it('rejects version= inside', () => {
    const e = errorOf(() => parseDynamicConfig('server.1=a:1:2\nversion=5', { file: 'zoo.cfg.dynamic' }));
    expect([e.code, e.line, e.key]).toEqual(['VERSION_IN_DYNAMIC', 2, 'version']);
  });

  it('rejects other keys', () => {
    const e = errorOf(() => parseDynamicConfig('server.1=a:1:2\ntickTime=2000', { file: 'dyn' }));
    expect([e.code, e.file, e.line, e.key]).toEqual(['UNRECOGNISED_PARAMETER', 'dyn', 2, 'tickTime']);
  });

  it.each([
    ['zoo.cfg.dynamic.100000000', 0x100000000n],
    ['/conf/zoo.cfg.dynamic.a1', 0xa1n],
    ['zoo.cfg.dynamic', 0n],
    ['zoo.cfg.dynamic.next', 0n],
  ])('version from the file name %s', (file, version) => {
    expect(parseDynamicConfig('server.1=a:1:2', { file }).verifier.version).toBe(version);
  });

  it('an explicit version overrides the file name', () => {
    expect(parseDynamicConfig('', { file: 'x.10', version: 7n }).verifier.toString()).toBe('version=7');
  });
});
