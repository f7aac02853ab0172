/**
 * Two-level round robin: groups (tenants) take turns, and within a group its members
 * (subscriptions) take turns. `take` hands out the next member and moves its group to the back;
 * a member added again goes to the back of its group. Every operation is O(1).
 */
export class FairRing<T> {
  private readonly groups = new Map<string, Map<string, T>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a member at the back of its group; one already present keeps its place. */
  add(group: string, key: string, item: T): void {
    let members = this.groups.get(group);
    if (!members) {
      members = new Map();
      this.groups.set(group, members);
    }
    if (!members.has(key)) this.count++;
    members.set(key, item);
  }

  /** Whether `group` has a member waiting. */
  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  /** Whether a group other than `group` has a member waiting (O(1): looks at two groups at most). */
  hasGroupOtherThan(group: string): boolean {
    for (const g of this.groups.keys()) if (g !== group) return true;
    return false;
  }

  /** The groups with a member waiting. */
  groupKeys(): string[] {
    return [...this.groups.keys()];
  }

  take(): T | undefined {
    const next = this.groups.keys().next();
    return next.done ? undefined : this.takeFrom(next.value);
  }

  /** The next member of `group` (undefined if it has none); the group goes to the back of the turns. */
  takeFrom(group: string): T | undefined {
    const members = this.groups.get(group);
    if (!members) return undefined;
    this.groups.delete(group);
    const first = members.entries().next();
    if (first.done) return undefined;
    const [key, item] = first.value;
    members.delete(key);
    this.count--;
    if (members.size > 0) this.groups.set(group, members);
    return item;
  }

  clear(): void {
    this.groups.clear();
    this.count = 0;
  }
}
