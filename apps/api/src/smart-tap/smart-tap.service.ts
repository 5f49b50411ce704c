import { Inject, Injectable } from '@nestjs/common';
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { AppConfig } from '@tlo/config';
import { verifySmartTapSignature } from '@tlo/crypto';
import {
  DEFAULT_ROTATION_POLICY,
  type RotationPolicy,
  SEARCH_ATTRIBUTES,
  type SmartTapClass,
  type SmartTapObject,
  type TapResolution,
  keyAuthenticates,
  resolveTap,
  smartTapKeysWorkflowId,
  tapSignedMessage,
  LIFECYCLES,
} from '@tlo/domain';
import type { SmartTapKeysContext, SmartTapKeyVersion } from '@tlo/machines';
import {
  DuplicateError,
  ProjectionRepository,
  SmartTapRepository,
  type SmartTapIssuer,
} from '@tlo/persistence';
import {
  type KeySetAnswer,
  revokeKeyUpdate,
  rotateNowUpdate,
  rotationPolicyUpdate,
  type smartTapKeys,
} from '@tlo/workflows';
import { CONFIG, TEMPORAL_CLIENT } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { callLifecycle } from '../http/temporal-errors';
import type { TapDto } from './smart-tap.dto';

export interface PublishedKey extends SmartTapKeyVersion {
  publicKeyPem: string;
}

const hex = (value: string) => Uint8Array.from(Buffer.from(value, 'hex'));

/** Smart Tap registry, key sets (one actor per issuer) and tap resolution. */
@Injectable()
export class SmartTapService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly registry: SmartTapRepository,
    private readonly projections: ProjectionRepository,
  ) {}

  createIssuer(issuer: { issuerId: string; name: string; collectorId?: string }): Promise<SmartTapIssuer> {
    return this.conflictOnDuplicate(() => this.registry.createIssuer(issuer));
  }

  async createClass(passClass: SmartTapClass): Promise<SmartTapClass> {
    await this.issuer(passClass.issuerId, 'issuerId');
    return this.conflictOnDuplicate(() => this.registry.createClass(passClass));
  }

  async createObject(pass: SmartTapObject): Promise<SmartTapObject> {
    if (!(await this.registry.findClass(pass.classId))) throw ApiError.badField('classId', 'no such class');
    return this.conflictOnDuplicate(() => this.registry.createObject(pass));
  }

  /** The published key set: every version with its public key and status. */
  async keys(
    issuerId: string,
  ): Promise<{ issuerId: string; collectorId: string; authenticationKeys: PublishedKey[] }> {
    const issuer = await this.issuer(issuerId);
    return {
      issuerId,
      collectorId: issuer.collectorId,
      authenticationKeys: await this.publishedKeys(issuerId),
    };
  }

  /** Rotates now; the issuer's key-set actor starts with its first key if it had none. */
  async rotate(issuerId: string): Promise<KeySetAnswer> {
    await this.issuer(issuerId);
    const start = new WithStartWorkflowOperation<typeof smartTapKeys>(LIFECYCLES.smartTapKeys.workflowType, {
      workflowId: smartTapKeysWorkflowId(issuerId),
      taskQueue: this.config.temporal.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ issuerId, policy: DEFAULT_ROTATION_POLICY, createFirstKey: false }],
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.lifecycle, value: LIFECYCLES.smartTapKeys.name },
        { key: SEARCH_ATTRIBUTES.issuerId, value: issuerId },
      ],
      staticSummary: `Smart Tap keys of issuer ${issuerId}`,
    });
    return callLifecycle(() =>
      this.temporal.workflow.executeUpdateWithStart(rotateNowUpdate, { startWorkflowOperation: start }),
    );
  }

  async revoke(issuerId: string, version: number): Promise<KeySetAnswer> {
    await this.issuer(issuerId);
    return callLifecycle(() =>
      this.temporal.workflow
        .getHandle(smartTapKeysWorkflowId(issuerId))
        .executeUpdate(revokeKeyUpdate, { args: [{ version }] }),
    );
  }

  async setPolicy(issuerId: string, policy: RotationPolicy): Promise<KeySetAnswer> {
    await this.issuer(issuerId);
    return callLifecycle(() =>
      this.temporal.workflow
        .getHandle(smartTapKeysWorkflowId(issuerId))
        .executeUpdate(rotationPolicyUpdate, { args: [policy] }),
    );
  }

  /** A terminal's credentials: the newest ACTIVE key of the issuer owning the collector id. */
  async terminalCredentials(
    collectorId: string,
  ): Promise<{ collectorId: string; keyVersion: number; privateKeyPem: string }> {
    const issuer = await this.registry.findIssuerByCollector(collectorId);
    if (!issuer)
      throw new ApiError(404, { code: 'UNKNOWN_COLLECTOR', message: 'no issuer has this collector id' });
    const active = (await this.publishedKeys(issuer.issuerId)).filter((key) => key.status === 'ACTIVE');
    const newest = active.sort((a, b) => b.version - a.version)[0];
    if (!newest)
      throw new ApiError(404, {
        code: 'NO_ACTIVE_KEY',
        message: `issuer ${issuer.issuerId} has no active key`,
      });
    const privateKeyPem = (await this.registry.privateKeyPem(issuer.issuerId, newest.version))!;
    return { collectorId, keyVersion: newest.version, privateKeyPem };
  }

  /** Authenticates the terminal, then selects the passes to send. */
  async tap(tap: TapDto): Promise<TapResolution & { authenticated: boolean }> {
    const refused = (reason: string) => ({
      authenticated: false,
      outcome: 'NONE' as const,
      passes: [],
      reason,
    });
    const collectorId = Number(tap.collectorId);
    if (collectorId > 0xffffffff) throw ApiError.badField('collectorId', 'collectorId must fit in 4 bytes');
    const issuer = await this.registry.findIssuerByCollector(tap.collectorId);
    if (!issuer) return refused('UNKNOWN_COLLECTOR');
    const key = (await this.publishedKeys(issuer.issuerId)).find((k) => k.version === tap.keyVersion);
    const now = Date.now();
    if (!key) return refused('UNKNOWN_KEY_VERSION');
    if (!keyAuthenticates(key, now)) return refused('KEY_VERSION_RETIRED');
    const message = tapSignedMessage({
      terminalNonce: hex(tap.terminalNonce),
      mobileNonce: hex(tap.mobileNonce),
      collectorId,
      terminalEphemeralPublicKey: hex(tap.terminalEphemeralPublicKey),
    });
    if (!verifySmartTapSignature(key.publicKeyPem, message, hex(tap.signature)))
      return refused('BAD_SIGNATURE');
    const passes = await this.registry.findObjects(tap.passes);
    const classes = new Map(
      (await this.registry.findClasses(passes.map((p) => p.classId))).map((c) => [c.classId, c]),
    );
    const resolution = resolveTap({
      redemptionIssuerId: issuer.issuerId,
      passes: passes.map((pass) => ({ pass, passClass: classes.get(pass.classId) ?? null })),
      viewedObjectId: tap.viewedObjectId,
      now,
    });
    return { authenticated: true, ...resolution };
  }

  private async publishedKeys(issuerId: string): Promise<PublishedKey[]> {
    const keySet = await this.projections.find<SmartTapKeysContext>(smartTapKeysWorkflowId(issuerId));
    if (!keySet) return [];
    const publicKeys = await this.registry.publicKeys(issuerId);
    return keySet.view.keys
      .filter((key) => publicKeys.has(key.version))
      .map((key) => ({ ...key, publicKeyPem: publicKeys.get(key.version)! }));
  }

  private async issuer(issuerId: string, field?: string): Promise<SmartTapIssuer> {
    const issuer = await this.registry.findIssuer(issuerId);
    if (issuer) return issuer;
    if (field) throw ApiError.badField(field, `no issuer ${issuerId}`);
    throw new ApiError(404, { code: 'UNKNOWN_ISSUER', message: `no issuer ${issuerId}` });
  }

  private async conflictOnDuplicate<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof DuplicateError)
        throw new ApiError(409, { code: 'ALREADY_EXISTS', message: error.message });
      throw error;
    }
  }
}
