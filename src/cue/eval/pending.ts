/**
 * Deferred work of one vertex evaluation: dynamic fields and embeddings run
 * after the static declarations of all conjuncts, comprehensions after them
 * (so that a comprehension sees every field that does not depend on it).
 */
import { append } from '../adt/vertex.js';

export class Pending {
  // Made on first use: most vertices have no deferred work.
  private first: Array<() => void> | undefined;
  private last: Array<() => void> | undefined;
  early(f: () => void): void {
    this.first = append(this.first, f);
  }
  push(f: () => void): void {
    this.last = append(this.last, f);
  }
  next(): (() => void) | undefined {
    return this.first?.shift() ?? this.last?.shift();
  }
}
