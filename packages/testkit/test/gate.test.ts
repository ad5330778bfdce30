import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestkitError } from '../src/index.js';
import { resetZooKeeperProbe, zookeeperAvailable, zookeeperGate } from '../src/zookeeper/available.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetZooKeeperProbe();
});

describe('zookeeperGate', () => {
  it('reports missing jars as a one-line reason and warns once', async () => {
    vi.stubEnv('ZKVOTE_ZK_CLASSPATH', '/nonexistent/zookeeper.jar');
    vi.stubEnv('ZKVOTE_REQUIRE_ZK', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const zk = await zookeeperGate();
    expect(zk.ok).toBe(false);
    expect(!zk.ok && zk.reason).toMatch(/^ZooKeeper jars not found \(\/nonexistent\/zookeeper\.jar\).*apt-get install -y zookeeper/);
    expect(!zk.ok && zk.reason).not.toContain('\n');
    await zookeeperGate();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('throws ZK_REQUIRED when ZKVOTE_REQUIRE_ZK=1 and ZooKeeper is absent', async () => {
    vi.stubEnv('ZKVOTE_ZK_CLASSPATH', '/nonexistent/zookeeper.jar');
    vi.stubEnv('ZKVOTE_REQUIRE_ZK', '1');
    const err = await zookeeperGate().catch((e: unknown) => e);
    expect(TestkitError.isInstance(err) && err.code).toBe('ZK_REQUIRED');
    expect((err as Error).message).toContain('/nonexistent/zookeeper.jar');
  });

  it('reports a java that cannot run', async () => {
    vi.stubEnv('ZKVOTE_ZK_CLASSPATH', process.execPath); // any existing file
    vi.stubEnv('ZKVOTE_JAVA', '/nonexistent/java');
    const zk = await zookeeperAvailable();
    expect(!zk.ok && zk.reason).toMatch(/cannot run `\/nonexistent\/java`/);
  });
});
