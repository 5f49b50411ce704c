import { type Connection, type Model, Schema } from 'mongoose';
import type { LifecycleProjection, TransitionRecord } from '@tlo/domain';
import { insertUnlessDuplicate } from './connection';
import { DocumentLocks } from './document-lock';
import { assertReadModelShape } from './read-model-shape';

/** The read model of one workflow: `_id` is the workflow id, so every read and write is by `_id`. */
interface ProjectionRecord {
  _id: string;
  workflowId: string;
  lifecycle: string;
  version: number;
  state: string;
  view: Record<string, unknown>;
  lastTransitionAt: string;
  updatedAt: Date;
}

/** `_id` = `<workflowId>:<seq, zero-padded>`: unique per transition and sorted by seq within a workflow. */
type TransitionRow = TransitionRecord & { _id: string };

/** Which workflows of a lifecycle have had a view about one card or account. */
interface LookupRecord {
  /** `<lifecycle>|<field>|<value>` */
  _id: string;
  workflowIds: string[];
}

const projectionSchema = new Schema<ProjectionRecord>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    lifecycle: { type: String, required: true },
    version: { type: Number, required: true },
    state: { type: String, required: true },
    view: { type: Schema.Types.Mixed, required: true },
    lastTransitionAt: { type: String, required: true },
  },
  {
    collection: 'lifecycles',
    timestamps: { createdAt: false, updatedAt: true },
    versionKey: false,
    minimize: false,
  },
);

const transitionSchema = new Schema<TransitionRow>(
  {
    _id: { type: String, required: true },
    workflowId: { type: String, required: true },
    lifecycle: { type: String, required: true },
    seq: { type: Number, required: true },
    from: { type: String, default: '' },
    event: { type: String, required: true },
    to: { type: String, required: true },
    at: { type: String, required: true },
  },
  { collection: 'transitions', versionKey: false },
);

const lookupSchema = new Schema<LookupRecord>(
  { _id: { type: String, required: true }, workflowIds: { type: [String], default: [] } },
  { collection: 'lifecycle_lookups', versionKey: false },
);

/** The view fields a lifecycle is listed by. */
export const LOOKUP_FIELDS = ['proxy', 'accountId'] as const;
type LookupField = (typeof LOOKUP_FIELDS)[number];

export const transitionId = (workflowId: string, seq: number): string =>
  `${workflowId}:${String(seq).padStart(10, '0')}`;
export const lookupId = (lifecycle: string, field: LookupField, value: string): string =>
  `${lifecycle}|${field}|${value}`;

export type ProjectionWriteResult = 'applied' | 'stale';

export interface ProjectionView<TView> {
  workflowId: string;
  lifecycle: string;
  version: number;
  state: string;
  view: TView;
  lastTransitionAt: string;
}

const PROJECTION_FIELDS = { _id: 0, updatedAt: 0 } as const;

function lookupValues(view: unknown): Array<[LookupField, string]> {
  if (typeof view !== 'object' || view === null) return [];
  const record = view as Record<string, unknown>;
  return LOOKUP_FIELDS.flatMap((field) =>
    typeof record[field] === 'string' && record[field] !== ''
      ? [[field, record[field]] as [LookupField, string]]
      : [],
  );
}

function recordOf(projection: LifecycleProjection<unknown>): Omit<ProjectionRecord, 'updatedAt'> {
  return {
    _id: projection.workflowId,
    workflowId: projection.workflowId,
    lifecycle: projection.lifecycle,
    version: projection.version,
    state: projection.state,
    view: projection.view as Record<string, unknown>,
    lastTransitionAt: projection.transition.at,
  };
}

const rowOf = (transition: TransitionRecord): TransitionRow => ({
  ...transition,
  _id: transitionId(transition.workflowId, transition.seq),
});

/**
 * Read models of every lifecycle plus the append-only audit trail of their transitions. Every query
 * is by `_id`, so its cost does not grow with the rows stored, on FerretDB (whose SQLite backend
 * pushes down `_id` equality only) as on MongoDB.
 */
export class ProjectionRepository {
  private readonly projections: Model<ProjectionRecord>;
  private readonly transitions: Model<TransitionRow>;
  private readonly lookups: Model<LookupRecord>;
  private readonly locks: DocumentLocks;

  constructor(private readonly connection: Connection) {
    this.projections =
      connection.models.Lifecycle ?? connection.model<ProjectionRecord>('Lifecycle', projectionSchema);
    this.transitions =
      connection.models.Transition ?? connection.model<TransitionRow>('Transition', transitionSchema);
    this.lookups =
      connection.models.LifecycleLookup ?? connection.model<LookupRecord>('LifecycleLookup', lookupSchema);
    this.locks = new DocumentLocks(connection, 'lifecycle_locks');
  }

  /**
   * Refuses a database of an older release's shape (see `npm run migrate:read-models`), then drops
   * the secondary indexes an older release created: every query here is by `_id`.
   */
  async ensureIndexes(): Promise<void> {
    await assertReadModelShape(this.connection);
    await Promise.all([
      this.projections.syncIndexes(),
      this.transitions.syncIndexes(),
      this.lookups.syncIndexes(),
    ]);
  }

  /**
   * Appends the audit row (idempotent on its `_id`), then writes this version of the read model
   * unless a newer one is stored. Safe under concurrent writers without transactions: FerretDB 1.x
   * evaluates an update's filter and its write in separate steps, so a compare-and-set update could
   * let an older version overwrite a newer one. A missing row is inserted (guarded by `_id`, atomic
   * everywhere); a stored one is compared and replaced while holding the workflow's lock, which
   * version 1 (an insert unless the row exists) does not need.
   */
  async apply<TView>(projection: LifecycleProjection<TView>): Promise<ProjectionWriteResult> {
    await insertUnlessDuplicate(this.transitions, rowOf(projection.transition));
    const record = recordOf(projection);
    // A first version is almost always the workflow's first write: try the insert without the lock.
    if (record.version === 1 && (await insertUnlessDuplicate(this.projections, record))) {
      await this.addLookups(record, []);
      return 'applied';
    }
    const outcome = await this.locks.withLock(record._id, async () => {
      let stored = await this.projections.findById(record._id).lean<ProjectionRecord>();
      if (!stored) {
        if (await insertUnlessDuplicate(this.projections, record)) return { previous: null };
        stored = await this.projections.findById(record._id).lean<ProjectionRecord>();
      }
      if (stored!.version >= record.version) return null;
      // Rows are never deleted on the hot path, so the replace finds `stored`.
      await this.projections.replaceOne({ _id: record._id }, record);
      return { previous: stored };
    });
    if (outcome === null) return 'stale';
    await this.addLookups(record, lookupValues(outcome.previous?.view));
    return 'applied';
  }

  /**
   * Writes the final projection and the whole transition trail of many lifecycles in bulk: the same
   * documents `apply` leaves behind, for the benchmark's preload and for migrations. Not for the
   * hot path: it does not guard against concurrent writers.
   */
  async bulkLoad(
    lifecycles: Array<{ final: LifecycleProjection<unknown>; trail: TransitionRecord[] }>,
  ): Promise<void> {
    if (lifecycles.length === 0) return;
    await this.transitions.insertMany(
      lifecycles.flatMap(({ trail }) => trail.map(rowOf)),
      { ordered: false },
    );
    await this.projections.insertMany(
      lifecycles.map(({ final }) => recordOf(final)),
      { ordered: false },
    );
    const lookups = new Map<string, string[]>();
    for (const { final } of lifecycles) {
      for (const [field, value] of lookupValues(final.view)) {
        const id = lookupId(final.lifecycle, field, value);
        lookups.set(id, [...(lookups.get(id) ?? []), final.workflowId]);
      }
    }
    const rows = [...lookups].map(([_id, workflowIds]) => ({ _id, workflowIds }));
    try {
      await this.lookups.insertMany(rows, { ordered: false });
    } catch (error) {
      // A card or account listed before: add to its row as `apply` does.
      type Refusal = { index: number; code?: number; err?: { code?: number } };
      const errors = (error as { writeErrors?: Refusal | Refusal[] }).writeErrors;
      const refused = errors === undefined ? [] : ([] as Refusal[]).concat(errors);
      if (refused.length === 0 || !refused.every((e) => (e.code ?? e.err?.code) === 11000)) throw error;
      for (const { index } of refused) {
        for (const workflowId of rows[index].workflowIds) await this.addLookup(rows[index]._id, workflowId);
      }
    }
  }

  async find<TView>(workflowId: string): Promise<ProjectionView<TView> | null> {
    return this.projections
      .findOne({ _id: workflowId }, PROJECTION_FIELDS)
      .lean<ProjectionView<TView>>()
      .exec();
  }

  /** The projection of each workflow of this lifecycle about this card, by workflow id. */
  findByProxy<TView>(lifecycle: string, proxy: string): Promise<ProjectionView<TView>[]> {
    return this.findByViewField(lifecycle, 'proxy', proxy);
  }

  /** The projection of each workflow of this lifecycle about this integrator account, by workflow id. */
  findByAccount<TView>(lifecycle: string, accountId: string): Promise<ProjectionView<TView>[]> {
    return this.findByViewField(lifecycle, 'accountId', accountId);
  }

  private async findByViewField<TView>(
    lifecycle: string,
    field: LookupField,
    value: string,
  ): Promise<ProjectionView<TView>[]> {
    const lookup = await this.lookups.findById(lookupId(lifecycle, field, value)).lean<LookupRecord>();
    // One `_id` read per workflow: FerretDB pushes down `_id` equality, not `$in`.
    const found = await Promise.all(
      [...new Set(lookup?.workflowIds ?? [])].sort().map((id) => this.find<TView>(id)),
    );
    return found.filter(
      (row): row is ProjectionView<TView> =>
        row !== null &&
        row.lifecycle === lifecycle &&
        (row.view as Record<string, unknown> | null)?.[field] === value,
    );
  }

  /** Lists a stored read model under the card or account its view names: for the migration. */
  async relist(record: ProjectionView<unknown> & { _id: string }): Promise<void> {
    await this.addLookups({ ...record, view: record.view as Record<string, unknown> }, []);
  }

  /** Lists the workflow under the card or account its view names, once (when it first names it). */
  private async addLookups(
    record: Omit<ProjectionRecord, 'updatedAt'>,
    known: Array<[LookupField, string]>,
  ): Promise<void> {
    const added = lookupValues(record.view).filter(
      ([field, value]) => !known.some(([f, v]) => f === field && v === value),
    );
    await Promise.all(
      added.map(([field, value]) => this.addLookup(lookupId(record.lifecycle, field, value), record._id)),
    );
  }

  /** `$addToSet` is a read and a write on FerretDB 1.x: concurrent ones on one card lose ids. */
  private async addLookup(id: string, workflowId: string): Promise<void> {
    if (await insertUnlessDuplicate(this.lookups, { _id: id, workflowIds: [workflowId] })) return;
    await this.locks.withLock(id, async () => {
      const stored = await this.lookups.findById(id).lean<LookupRecord>();
      if (stored?.workflowIds.includes(workflowId)) return;
      await this.lookups.replaceOne(
        { _id: id },
        { workflowIds: [...(stored?.workflowIds ?? []), workflowId] },
      );
    });
  }

  /** The transitions as the HTTP read models show them: without the workflow and lifecycle keys. */
  async trailOf(
    workflowId: string,
  ): Promise<Array<Pick<TransitionRecord, 'seq' | 'from' | 'event' | 'to' | 'at'>>> {
    const transitions = await this.transitionsOf(workflowId);
    return transitions.map(({ seq, from, event, to, at }) => ({ seq, from, event, to, at }));
  }

  /**
   * The workflow's transitions in seq order, read by `_id`. Seqs count 1, 2, 3… per workflow id, and
   * the read model's version is the seq of the transition that produced it: seqs up to it are read
   * at once, later ones (audit rows written before their read model) one by one until a gap.
   */
  async transitionsOf(workflowId: string): Promise<TransitionRecord[]> {
    const known = (await this.find(workflowId))?.version ?? 0;
    const seqs = Array.from({ length: known }, (_, i) => i + 1);
    const rows = (await Promise.all(seqs.map((seq) => this.transition(workflowId, seq)))).filter(
      (row): row is TransitionRecord => row !== null,
    );
    for (let seq = known + 1; ; seq++) {
      const row = await this.transition(workflowId, seq);
      if (!row) break;
      rows.push(row);
    }
    return rows;
  }

  private transition(workflowId: string, seq: number): Promise<TransitionRecord | null> {
    return this.transitions
      .findOne({ _id: transitionId(workflowId, seq) }, { _id: 0 })
      .lean<TransitionRecord>()
      .exec();
  }
}
