/**
 * A first-in first-out queue with O(1) push and shift (an array's shift
 * moves every element).
 * @module
 */

/** A FIFO queue. */
export class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  /** Items waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item at the end. */
  push(item: T): void {
    this.items.push(item);
  }

  /** Takes the first item, or undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact once the consumed prefix is the larger half, keeping the cost amortized O(1).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
