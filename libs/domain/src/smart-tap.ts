import { LIFECYCLES } from './lifecycles';
/**
 * Smart Tap: issuers own collector ids and authentication keys; pass classes name the
 * redemption issuers where their passes may be redeemed; a terminal authenticates at tap time and the
 * wallet sends it only the passes it may redeem.
 */

export type PassState = 'ACTIVE' | 'EXPIRED' | 'INACTIVE';
export const PASS_STATES: readonly PassState[] = ['ACTIVE', 'EXPIRED', 'INACTIVE'];
export type KeyStatus = 'ACTIVE' | 'RETIRING' | 'RETIRED';
export type TapOutcome = 'TRANSMIT' | 'CAROUSEL' | 'NONE';

export interface SmartTapClass {
  classId: string;
  issuerId: string;
  enableSmartTap: boolean;
  redemptionIssuers: string[];
}

export interface SmartTapObject {
  objectId: string;
  classId: string;
  smartTapRedemptionValue: string;
  state: PassState;
  validTimeInterval?: { start?: string; end?: string } | null;
}

export interface RotationPolicy {
  periodSeconds: number;
  graceSeconds: number;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  periodSeconds: 90 * 24 * 3600,
  graceSeconds: 7 * 24 * 3600,
};

export const smartTapKeysWorkflowId = LIFECYCLES.smartTapKeys.workflowId;

/** A pass is valid when ACTIVE and inside its valid time interval, if it has one. */
export function passIsValid(pass: SmartTapObject, now: number): boolean {
  if (pass.state !== 'ACTIVE') return false;
  const start = pass.validTimeInterval?.start ? Date.parse(pass.validTimeInterval.start) : -Infinity;
  const end = pass.validTimeInterval?.end ? Date.parse(pass.validTimeInterval.end) : Infinity;
  return now >= start && now <= end;
}

export interface TapResolution {
  outcome: TapOutcome;
  passes: Array<{ objectId: string; smartTapRedemptionValue: string }>;
  reason: string;
}

/**
 * The seed's selection, after the terminal authenticated for `redemptionIssuerId`: a pass is a
 * candidate only if its class has Smart Tap enabled and lists that issuer; a viewed candidate is sent
 * whatever its validity; otherwise one valid candidate is sent, several make a carousel, none nothing.
 */
export function resolveTap(input: {
  redemptionIssuerId: string;
  passes: Array<{ pass: SmartTapObject; passClass: SmartTapClass | null }>;
  viewedObjectId?: string;
  now: number;
}): TapResolution {
  const candidates = input.passes
    .filter(
      ({ passClass }) =>
        passClass?.enableSmartTap && passClass.redemptionIssuers.includes(input.redemptionIssuerId),
    )
    .map(({ pass }) => pass);
  const sent = (passes: SmartTapObject[]) =>
    passes.map(({ objectId, smartTapRedemptionValue }) => ({ objectId, smartTapRedemptionValue }));
  if (input.viewedObjectId) {
    const viewed = candidates.find((pass) => pass.objectId === input.viewedObjectId);
    if (viewed) return { outcome: 'TRANSMIT', passes: sent([viewed]), reason: 'VIEWED_PASS' };
  }
  const valid = candidates.filter((pass) => passIsValid(pass, input.now));
  if (valid.length === 1) return { outcome: 'TRANSMIT', passes: sent(valid), reason: 'ONE_VALID_PASS' };
  if (valid.length > 1) return { outcome: 'CAROUSEL', passes: sent(valid), reason: 'SEVERAL_VALID_PASSES' };
  return {
    outcome: 'NONE',
    passes: [],
    reason: candidates.length > 0 ? 'NO_VALID_PASS' : 'NO_PASS_REDEEMABLE_HERE',
  };
}

/** The bytes a terminal signs: terminalNonce ‖ mobileNonce ‖ collectorId (4 bytes BE) ‖ ephemeral key. */
export function tapSignedMessage(fields: {
  terminalNonce: Uint8Array;
  mobileNonce: Uint8Array;
  collectorId: number;
  terminalEphemeralPublicKey: Uint8Array;
}): Uint8Array {
  const collector = new Uint8Array(4);
  new DataView(collector.buffer).setUint32(0, fields.collectorId, false);
  const parts = [fields.terminalNonce, fields.mobileNonce, collector, fields.terminalEphemeralPublicKey];
  const message = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}
