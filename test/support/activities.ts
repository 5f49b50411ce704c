import { p256 } from '@noble/curves/p256';
import type { Connection } from 'mongoose';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { DEFAULT_CARD_OTP_LIMITS, DEFAULT_DECISION_RULES } from '@tlo/domain';
import {
  CardAttemptRepository,
  CardProgramRepository,
  CardRepository,
  FopAccountRepository,
  GoogleTokenClaimRepository,
  SmartTapRepository,
  SavedCardRepository,
  ShopRepository,
  OtpOutboxRepository,
  PartnerEventRepository,
  ProjectionRepository,
} from '@tlo/persistence';
import { type ActivityDeps, createActivities } from '../../activities';
import { SignedWebhookSender } from '../../activities/webhooks/signed-webhook';
import { anchorsOf, makeRoot } from './certificates';
import { spkiPemOf } from './node-envelope';

/** Real activities on a real database, as the worker builds them, for workflow tests. */
export async function realActivityDeps(
  mongo: Connection,
  options: { partnerWebhookUrl: string; partnerWebhookSecret: string },
) {
  const cipher = new FieldCipher(new KeyRing([KeyRing.generateKey('test')]));
  const googlePayProviderPrivateKey = p256.utils.randomPrivateKey();
  const appleRoot = await makeRoot();
  const deps: ActivityDeps = {
    projections: new ProjectionRepository(mongo),
    cards: new CardRepository(mongo, cipher),
    partnerEvents: new PartnerEventRepository(mongo),
    programs: new CardProgramRepository(mongo, cipher),
    otpOutbox: new OtpOutboxRepository(mongo, cipher),
    otpHmacKey: Buffer.alloc(32, 9),
    decisionRules: DEFAULT_DECISION_RULES,
    cardAttempts: new CardAttemptRepository(mongo),
    cardOtpLimits: DEFAULT_CARD_OTP_LIMITS,
    activationKey: Buffer.alloc(32, 1),
    googlePayProviderPublicKeyPem: spkiPemOf(p256.getPublicKey(googlePayProviderPrivateKey, false)),
    appleTrustAnchors: anchorsOf(appleRoot),
    partnerWebhook: { url: options.partnerWebhookUrl, secret: options.partnerWebhookSecret },
    webhooks: new SignedWebhookSender({ httpsOnly: false, allowLoopback: true }),
    fopAccounts: new FopAccountRepository(mongo),
    tokenClaims: new GoogleTokenClaimRepository(mongo),
    smartTap: new SmartTapRepository(mongo, cipher),
    shops: new ShopRepository(mongo, cipher),
    savedCards: new SavedCardRepository(mongo, cipher),
  };
  await deps.savedCards.ensureIndexes();
  await deps.smartTap.ensureIndexes();
  await deps.tokenClaims.ensureIndexes();
  await deps.projections.ensureIndexes();
  return { deps, activities: createActivities(deps), googlePayProviderPrivateKey, appleRoot };
}
