import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '@hookstream/testing';
import { chaosMeter, cpuSeconds } from './cpu.ts';

describe('chaosMeter', () => {
  it("counts a listener's finished children, as a postmaster's exited backends, and answers null for a process gone mid-round", async () => {
    const port = await freePort();
    // A stand-in postmaster: listens on the port and, once told to (after the window has
    // started, so all of it falls inside), runs a child that uses 400 ms of CPU and exits.
    const busyChild = `require('child_process').spawnSync(process.execPath, ['-e', 'const used = () => process.cpuUsage().user + process.cpuUsage().system; while (used() < 400000);'])`;
    const postmaster = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${port}, '127.0.0.1', () => process.stdout.write('listening')); process.stdin.once('data', () => { ${busyChild}; process.stdout.write('done'); });`],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const shortLived = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(postmaster.stdout, 'data');
      const { meter, names } = chaosMeter(() => ({ service: shortLived.pid }), { postgres: port, kafka: 1, redis: 1 });
      const window = meter.start();
      const done = once(postmaster.stdout, 'data');
      postmaster.stdin.write('go\n');
      await done;
      shortLived.kill();
      await once(shortLived, 'exit');
      const seconds = cpuSeconds(window.stop(), names());
      expect(seconds['postgres']).toBeGreaterThanOrEqual(0.3);
      expect(seconds['service']).toBeNull();
      // Nothing listens on port 1: reported, as not measured.
      expect(seconds['kafka']).toBeNull();
      expect(typeof seconds['harness']).toBe('number');
    } finally {
      postmaster.kill();
      shortLived.kill();
    }
  });
});
