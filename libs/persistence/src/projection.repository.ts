import { type Connection, type Model, Schema } from 'mongoose';
import type { LifecycleProjection, TransitionRecord } from '@tlo/domain';
import { insertUnlessDuplicate } from './connection';

interface ProjectionRecord {
  workflowId: string;
  lifecycle: string;
  version: number;
  state: string;
  view: Record<string, unknown>;
  lastTransitionAt: string;
  updatedAt: Date;
}

const projectionSchema = new Schema<ProjectionRecord>(
  {
    workflowId: { type: String, required: true },
    lifecycle: { type: String, required: true, index: true },
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
// One document per (workflowId, version): an insert is atomic on every MongoDB-compatible store,
// whereas FerretDB 1.x evaluates an update's filter and writes in separate steps.
projectionSchema.index({ workflowId: 1, version: 1 }, { unique: true });
projectionSchema.index({ lifecycle: 1, 'view.proxy': 1 });
projectionSchema.index({ lifecycle: 1, 'view.accountId': 1 });

const transitionSchema = new Schema<TransitionRecord>(
  {
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
transitionSchema.index({ workflowId: 1, seq: 1 }, { unique: true });

export type ProjectionWriteResult = 'applied' | 'stale';

export interface ProjectionView<TView> {
  workflowId: string;
  lifecycle: string;
  version: number;
  state: string;
  view: TView;
  lastTransitionAt: string;
}

/** Read models of every lifecycle plus the append-only audit trail of their transitions. */
export class ProjectionRepository {
  private readonly projections: Model<ProjectionRecord>;
  private readonly transitions: Model<TransitionRecord>;

  constructor(connection: Connection) {
    this.projections =
      connection.models.Lifecycle ?? connection.model<ProjectionRecord>('Lifecycle', projectionSchema);
    this.transitions =
      connection.models.Transition ?? connection.model<TransitionRecord>('Transition', transitionSchema);
  }

  /**
   * Brings the collections' indexes to the schema's, dropping ones an older release created (the read
   * model was once unique on workflowId alone).
   */
  async ensureIndexes(): Promise<void> {
    await Promise.all([this.projections.syncIndexes(), this.transitions.syncIndexes()]);
  }

  /**
   * Appends the audit row (idempotent on workflowId+seq), then records this version of the read
   * model. Readers always see the highest version, so a retried or late write never overwrites a
   * newer one; versions below the newest are pruned. Safe under concurrent writers without
   * transactions: both writes are inserts guarded by unique indexes.
   */
  async apply<TView>(projection: LifecycleProjection<TView>): Promise<ProjectionWriteResult> {
    await insertUnlessDuplicate(this.transitions, projection.transition);
    const inserted = await insertUnlessDuplicate(this.projections, {
      workflowId: projection.workflowId,
      lifecycle: projection.lifecycle,
      version: projection.version,
      state: projection.state,
      view: projection.view as Record<string, unknown>,
      lastTransitionAt: projection.transition.at,
    });
    const newest = await this.newestVersion(projection.workflowId);
    await this.projections.deleteMany({ workflowId: projection.workflowId, version: { $lt: newest } });
    return inserted && newest === projection.version ? 'applied' : 'stale';
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
      lifecycles.flatMap(({ trail }) => trail),
      { ordered: false },
    );
    await this.projections.insertMany(
      lifecycles.map(({ final }) => ({
        workflowId: final.workflowId,
        lifecycle: final.lifecycle,
        version: final.version,
        state: final.state,
        view: final.view as Record<string, unknown>,
        lastTransitionAt: final.transition.at,
      })),
      { ordered: false },
    );
  }

  async find<TView>(workflowId: string): Promise<ProjectionView<TView> | null> {
    return this.projections
      .findOne({ workflowId }, { _id: 0, updatedAt: 0 })
      .sort({ version: -1 })
      .lean<ProjectionView<TView>>()
      .exec();
  }

  /** The newest projection of each workflow of this lifecycle about this card. */
  findByProxy<TView>(lifecycle: string, proxy: string): Promise<ProjectionView<TView>[]> {
    return this.findByViewField(lifecycle, 'proxy', proxy);
  }

  /** The newest projection of each workflow of this lifecycle about this integrator account. */
  findByAccount<TView>(lifecycle: string, accountId: string): Promise<ProjectionView<TView>[]> {
    return this.findByViewField(lifecycle, 'accountId', accountId);
  }

  private async findByViewField<TView>(
    lifecycle: string,
    field: 'proxy' | 'accountId',
    value: string,
  ): Promise<ProjectionView<TView>[]> {
    const rows = await this.projections
      .find({ lifecycle, [`view.${field}`]: value }, { _id: 0, updatedAt: 0 })
      .sort({ workflowId: 1, version: -1 })
      .lean<ProjectionView<TView>[]>()
      .exec();
    return rows.filter((row, i) => i === 0 || rows[i - 1].workflowId !== row.workflowId);
  }

  private async newestVersion(workflowId: string): Promise<number> {
    const newest = await this.projections
      .findOne({ workflowId }, { version: 1 })
      .sort({ version: -1 })
      .lean();
    return newest?.version ?? 0;
  }

  /** The transitions as the HTTP read models show them: without the workflow and lifecycle keys. */
  async trailOf(
    workflowId: string,
  ): Promise<Array<Pick<TransitionRecord, 'seq' | 'from' | 'event' | 'to' | 'at'>>> {
    const transitions = await this.transitionsOf(workflowId);
    return transitions.map(({ seq, from, event, to, at }) => ({ seq, from, event, to, at }));
  }

  async transitionsOf(workflowId: string): Promise<TransitionRecord[]> {
    return this.transitions
      .find({ workflowId }, { _id: 0 })
      .sort({ seq: 1 })
      .lean<TransitionRecord[]>()
      .exec();
  }
}
