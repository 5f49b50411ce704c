import { cancellationOutcome } from '@tlo/domain';

type Request = Parameters<typeof cancellationOutcome>[0];
const request = (overrides: Partial<Request>): Request => ({
  by: 'BUYER',
  buyerDeletion: 'AUTOMATIC',
  purged: false,
  activeSubscriptionIds: [],
  ...overrides,
});

describe('cancellation policy of a saved card', () => {
  it('cancels a card without subscriptions, for a buyer where the shop allows it and for a merchant', () => {
    expect(cancellationOutcome(request({ by: 'BUYER' }))).toEqual({ kind: 'CANCEL' });
    expect(cancellationOutcome(request({ by: 'MERCHANT', buyerDeletion: 'MANUAL' }))).toEqual({
      kind: 'CANCEL',
    });
  });

  it('refuses a buyer where the shop leaves deletion to the merchant, before looking at the token', () => {
    expect(cancellationOutcome(request({ buyerDeletion: 'MANUAL', purged: true }))).toEqual({
      kind: 'REFUSED',
      reason: 'BUYER_DELETION_NOT_ALLOWED',
    });
  });

  it('refuses to cancel a purged token, whoever asks', () => {
    for (const by of ['BUYER', 'MERCHANT'] as const) {
      expect(cancellationOutcome(request({ by, purged: true, activeSubscriptionIds: ['s1'] }))).toEqual({
        kind: 'REFUSED',
        reason: 'TOKEN_PURGED',
      });
    }
  });

  it('keeps a card paying a subscription when the buyer asks, telling them to contact the merchant', () => {
    expect(cancellationOutcome(request({ activeSubscriptionIds: ['s1', 's2'] }))).toEqual({
      kind: 'KEPT',
      warning: {
        code: 'TOKEN_USED_BY_SUBSCRIPTION',
        message: 'This card pays a subscription: it was not deleted. Contact the merchant to change it.',
        subscriptionIds: ['s1', 's2'],
      },
    });
  });

  it('cancels a card paying a subscription when the merchant asks, warning its payments will be refused', () => {
    expect(cancellationOutcome(request({ by: 'MERCHANT', activeSubscriptionIds: ['s1'] }))).toEqual({
      kind: 'CANCEL',
      warning: {
        code: 'TOKEN_USED_BY_SUBSCRIPTION',
        message: 'This card paid a subscription: its next payments will be refused.',
        subscriptionIds: ['s1'],
      },
    });
  });
});
