import { type Connection, type Model, Schema } from 'mongoose';
import type { LifecycleProjection, TransitionRecord } from '@tlo/domain';
import { isDuplicateKeyError } from './connection';

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
    workflowId: { type: String, required: true, unique: true },
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
projectionSchema.index({ lifecycle: 1, 'view.proxy': 1 });

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

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.projections.init(), this.transitions.init()]);
  }

  /**
   * Appends the audit row (idempotent on workflowId+seq), then upserts the read model only if it is
   * older than this transition: a retried or late write never overwrites a newer one.
   */
  async apply<TView>(projection: LifecycleProjection<TView>): Promise<ProjectionWriteResult> {
    try {
      await this.transitions.create(projection.transition);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    try {
      const result = await this.projections.updateOne(
        { workflowId: projection.workflowId, version: { $lt: projection.version } },
        {
          $set: {
            lifecycle: projection.lifecycle,
            version: projection.version,
            state: projection.state,
            view: projection.view,
            lastTransitionAt: projection.transition.at,
          },
        },
        { upsert: true },
      );
      return result.matchedCount + result.upsertedCount > 0 ? 'applied' : 'stale';
    } catch (error) {
      // The filter missed because a newer version exists, so the upsert collided with it.
      if (isDuplicateKeyError(error)) return 'stale';
      throw error;
    }
  }

  async find<TView>(workflowId: string): Promise<ProjectionView<TView> | null> {
    return this.projections
      .findOne({ workflowId }, { _id: 0, updatedAt: 0 })
      .lean<ProjectionView<TView>>()
      .exec();
  }

  async findByProxy<TView>(lifecycle: string, proxy: string): Promise<ProjectionView<TView>[]> {
    return this.projections
      .find({ lifecycle, 'view.proxy': proxy }, { _id: 0, updatedAt: 0 })
      .sort({ workflowId: 1 })
      .lean<ProjectionView<TView>[]>()
      .exec();
  }

  async transitionsOf(workflowId: string): Promise<TransitionRecord[]> {
    return this.transitions
      .find({ workflowId }, { _id: 0 })
      .sort({ seq: 1 })
      .lean<TransitionRecord[]>()
      .exec();
  }
}
