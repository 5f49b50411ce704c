import type { Provider } from '@nestjs/common';
import { type AppConfig, loadAppleTrustAnchors } from '@tlo/config';
import type { TrustAnchors } from '@tlo/crypto';
import { CONFIG } from '../core/tokens';

export const APPLE_PAY_TRUST_ANCHORS = Symbol('APPLE_PAY_TRUST_ANCHORS');

/** The roots ApplePay chains must end at, loaded (the development root made) once at boot. */
export const applePayTrustAnchorsProvider: Provider = {
  provide: APPLE_PAY_TRUST_ANCHORS,
  inject: [CONFIG],
  useFactory: (config: AppConfig): Promise<TrustAnchors> => loadAppleTrustAnchors(config),
};
