import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort, freePorts } from '../src/index.js';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ port, host: '127.0.0.1' }, () => resolve(s));
  });
}

describe('freePorts', () => {
  it('returns distinct, bindable ports and never repeats one within a run', async () => {
    const a = await freePorts(8);
    const b = await freePorts(8);
    const c = await freePort();
    const all = [...a, ...b, c];
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p).toBeGreaterThan(0);
    const servers = await Promise.all(a.map(listen));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('keeps finding fresh ports after thousands were handed out (a long benchmark run)', async () => {
    // The kernel happily offers ports it offered before; each of those costs a spare bind.
    for (let i = 0; i < 20; i++) expect(await freePorts(150)).toHaveLength(150);
  }, 60_000);

  it('handles zero and rejects nonsense counts', async () => {
    expect(await freePorts(0)).toEqual([]);
    await expect(freePorts(-1)).rejects.toMatchObject({ code: 'BAD_OPTIONS' });
  });
});
