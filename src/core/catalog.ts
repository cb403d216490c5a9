// A registry's store: its families by full name, and every sample name each one uses.
import { PromliteError } from '../errors.js';
import { differenceBetween } from './definition.js';
import type { MetricDefinition } from './metric.js';
import { occupiedNames } from './sample-names.js';

/** What the catalog reads of a stored family. */
type Stored = Parameters<typeof differenceBetween>[0] & { readonly name: string };

/**
 * Families by full name, such that no two families' samples share a name. Internal to the
 * registry (and to collectors, whose families it checks against the declared ones).
 */
export class FamilyCatalog<M extends Stored> {
  private readonly byName = new Map<string, M>();
  /** Every name a family's samples use (or its OpenMetrics family name), to the family that owns it. */
  private readonly owners = new Map<string, string>();
  private sortedCache: readonly M[] | undefined;

  /** The family stored under a full name, if any. */
  get(name: string): M | undefined {
    return this.byName.get(name);
  }

  /** Every family, ordered by name (cached until the next {@link add}). */
  sorted(): readonly M[] {
    this.sortedCache ??= [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return this.sortedCache;
  }

  /**
   * Returns the family stored under `definition.name` when it was declared the same way, or
   * stores and returns `create()`.
   * @throws PromliteError `DUPLICATE_METRIC` for a different definition, or a clash of sample names.
   */
  add(definition: MetricDefinition, create: () => M): M {
    const { type, name } = definition;
    const existing = this.byName.get(name);
    if (existing !== undefined) {
      const difference = differenceBetween(existing, definition);
      if (difference === undefined) return existing;
      throw new PromliteError('DUPLICATE_METRIC', `${type} "${name}": already registered with ${difference}`);
    }
    const claims = this.assertUnclaimed(definition);
    const family = create();
    this.byName.set(name, family);
    for (const claim of claims) this.owners.set(claim, name);
    this.sortedCache = undefined;
    return family;
  }

  /** Forgets the family stored under `name` and frees the sample names it held; returns it, if any. */
  remove(name: string): M | undefined {
    const family = this.byName.get(name);
    if (family === undefined) return undefined;
    this.byName.delete(name);
    for (const [claim, owner] of this.owners) if (owner === name) this.owners.delete(claim);
    this.sortedCache = undefined;
    return family;
  }

  /**
   * Returns the names `definition`'s samples would use. Stores nothing.
   * @throws PromliteError `DUPLICATE_METRIC` when a stored family (or `alsoTaken`) owns one of them.
   */
  assertUnclaimed(
    definition: MetricDefinition,
    alsoTaken: (name: string) => string | undefined = () => undefined,
  ): string[] {
    const claims = occupiedNames(definition.type, definition.name);
    for (const claim of claims) {
      const owner = this.owners.get(claim) ?? alsoTaken(claim);
      if (owner !== undefined) {
        throw new PromliteError(
          'DUPLICATE_METRIC',
          `${definition.type} "${definition.name}": its samples would clash with "${owner}" on the name "${claim}"`,
        );
      }
    }
    return claims;
  }
}
