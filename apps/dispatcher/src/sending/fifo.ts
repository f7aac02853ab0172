/** A first-in-first-out queue with O(1) push and shift (Array#shift moves every element). */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Oldest first, without taking anything out. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }

  /** Takes `items` out wherever they are, keeping the others' order (a batch taken from the front part of the queue). */
  remove(items: ReadonlySet<T>): void {
    if (items.size === 0) return;
    this.items = this.items.slice(this.head).filter((item) => !items.has(item as T));
    this.head = 0;
  }
}
