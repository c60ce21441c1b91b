// A long list a rule hands to a finding's data without making every entry. A finding's data keeps
// the first MAX_LISTED entries of a list (run.ts); a rule listing every use of a dependency in a
// thousand modules would make a thousand entries to have fifty kept. A Listing makes entries of
// its items only as far as they are kept, once for all the findings that share it.

/** Marks a Listing, whichever copy of this module made it (a test may load two). */
const LISTING: unique symbol = Symbol.for('modguard.listing') as never;

/** Listing is a list of `items.length` entries, entry i being make(items[i]). */
export class Listing<T = unknown, U = unknown> {
  readonly [LISTING] = true;

  constructor(readonly items: readonly T[], private readonly make: (item: T) => U) {}

  /** isListing tells a Listing. */
  static is(value: unknown): value is Listing {
    return typeof value === 'object' && value !== null && (value as { [LISTING]?: unknown })[LISTING] === true;
  }

  get length(): number {
    return this.items.length;
  }

  /** first makes the first n entries (all, when there are fewer). */
  first(n: number): U[] {
    const end = Math.min(n, this.items.length);
    const out: U[] = [];
    for (let i = 0; i < end; i++) out.push(this.make(this.items[i]!));
    return out;
  }
}
