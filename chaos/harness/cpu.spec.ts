import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { processCpuSeconds } from './cpu.ts';

describe('processCpuSeconds', () => {
  it('counts the CPU of children that have exited, as a postmaster counts its finished backends', async () => {
    // The shell's only CPU is the child's: a busy loop of 400 ms, then the shell waits on.
    const shell = spawn('sh', ['-c', `"${process.execPath}" -e "const end = Date.now() + 400; while (Date.now() < end);"; exec sleep 5`], { stdio: 'ignore' });
    try {
      const deadline = Date.now() + 5000;
      let seconds = 0;
      while (Date.now() < deadline && seconds < 0.3) {
        await new Promise((r) => setTimeout(r, 100));
        seconds = processCpuSeconds(shell.pid) ?? 0;
      }
      expect(seconds).toBeGreaterThanOrEqual(0.3);
    } finally {
      shell.kill();
      await once(shell, 'exit');
    }
  });
});
