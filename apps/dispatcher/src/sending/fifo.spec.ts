import { describe, expect, it } from '@jest/globals';
import { Fifo } from './fifo.js';

describe('Fifo', () => {
  it('hands items back in order across compactions', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift() as number);
    }
    while (q.size > 0) out.push(q.shift() as number);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('lists and takes out items from anywhere, keeping the rest in order', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 10; i++) q.push(i);
    q.shift();
    expect([...q]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    q.remove(new Set([1, 4, 9]));
    expect(q.size).toBe(6);
    expect([...q]).toEqual([2, 3, 5, 6, 7, 8]);
    q.push(10);
    expect(q.shift()).toBe(2);
    expect([...q]).toEqual([3, 5, 6, 7, 8, 10]);
  });
});
