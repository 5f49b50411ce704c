import { p256 } from '@noble/curves/p256';
import type { Connection } from 'mongoose';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { DEFAULT_CARD_OTP_LIMITS, DEFAULT_DECISION_RULES } from '@tlo/domain';
import { createRepositories, ensureIndexes } from '@tlo/persistence';
import { type ActivityDeps, createActivities } from '../../activities';
import { SignedWebhookSender } from '../../activities/webhooks/signed-webhook';
import { anchorsOf, makeRoot } from './certificates';
import { spkiPemOf } from './node-envelope';

/** Real activities on a real database, as the worker builds them, for workflow tests. */
export async function realActivityDeps(
  mongo: Connection,
  options: { partnerWebhookUrl: string; partnerWebhookSecret: string },
) {
  const repositories = createRepositories(mongo, new FieldCipher(new KeyRing([KeyRing.generateKey('test')])));
  await ensureIndexes(repositories);
  const googlePayProviderPrivateKey = p256.utils.randomPrivateKey();
  const appleRoot = await makeRoot();
  const deps = {
    ...repositories,
    otpHmacKey: Buffer.alloc(32, 9),
    decisionRules: DEFAULT_DECISION_RULES,
    cardOtpLimits: DEFAULT_CARD_OTP_LIMITS,
    activationKey: Buffer.alloc(32, 1),
    googlePayProviderPublicKeyPem: spkiPemOf(p256.getPublicKey(googlePayProviderPrivateKey, false)),
    appleTrustAnchors: anchorsOf(appleRoot),
    partnerWebhook: { url: options.partnerWebhookUrl, secret: options.partnerWebhookSecret },
    webhooks: new SignedWebhookSender({ httpsOnly: false, allowLoopback: true }),
  } satisfies ActivityDeps;
  return { deps, activities: createActivities(deps), googlePayProviderPrivateKey, appleRoot };
}
