export { TestkitError, type TestkitErrorCode } from './errors.js';
export { freePort, freePorts } from './ports.js';
export { tempDir, keepDirs, type TempDir } from './temp.js';
export { seededRandom } from './random.js';
export {
  ManagedProcess,
  spawnManaged,
  type SpawnOptions,
  type OutputLine,
  type ExitStatus,
  type LineMatch,
} from './process.js';
export { startProxy, type Proxy, type ProxyOptions, type ProxyState, type ProxyStats, type BlackholeDirection } from './proxy.js';
export {
  zookeeperAvailable,
  zookeeperGate,
  zookeeperRequired,
  DEFAULT_ZK_CLASSPATH,
  type ZooKeeperAvailability,
} from './zookeeper/available.js';
export { LOG4J_PROPERTIES, serverLine, serverLines, zooCfgText, type ServerEntry, type ZooCfgInput } from './zookeeper/config.js';
export { fourLetterWord, parseSrvrMode, adminCommand, type ZkMode } from './zookeeper/fourletter.js';
export {
  startZooKeeperEnsemble,
  type Ensemble,
  type EnsembleNode,
  type EnsembleOptions,
  type ExtraServer,
  type Modes,
} from './zookeeper/ensemble.js';
