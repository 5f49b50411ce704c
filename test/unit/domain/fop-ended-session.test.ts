import { type EndedSession, endedSessionConsumption, endedSessionVerification } from '@tlo/domain';

const session = (overrides: Partial<EndedSession>): EndedSession => ({
  accountId: 'account-1',
  wrongAttempts: 0,
  maxAttempts: 3,
  authenticatedUntil: null,
  consumedBy: null,
  ...overrides,
});
const AUTHENTICATED = '2026-06-15T12:30:00Z';

describe('what an ended tokenized-FOP authentication session answers', () => {
  it('to a code: already used once authenticated (used or not), limit reached when locked, else expired', () => {
    expect(endedSessionVerification(session({ authenticatedUntil: AUTHENTICATED, consumedBy: 'a1' }))).toBe(
      'OTP_ALREADY_USED',
    );
    expect(endedSessionVerification(session({ authenticatedUntil: AUTHENTICATED }))).toBe('OTP_ALREADY_USED');
    expect(endedSessionVerification(session({ wrongAttempts: 3 }))).toBe('OTP_LIMIT_REACHED');
    expect(endedSessionVerification(session({ wrongAttempts: 2 }))).toBe('OTP_EXPIRED');
  });

  it('to a use of its proof: again to the same user of it only', () => {
    const used = session({ authenticatedUntil: AUTHENTICATED, consumedBy: 'association-1' });
    expect(endedSessionConsumption(used, 'association-1')).toEqual({ ok: true, accountId: 'account-1' });
    expect(endedSessionConsumption(used, 'association-2')).toEqual({
      ok: false,
      refusal: 'AUTHENTICATION_ALREADY_USED',
    });
  });

  it('to a use of its proof: never completed when locked, expired otherwise', () => {
    expect(endedSessionConsumption(session({ wrongAttempts: 3 }), 'a')).toEqual({
      ok: false,
      refusal: 'AUTHENTICATION_NOT_COMPLETED',
    });
    expect(endedSessionConsumption(session({ authenticatedUntil: AUTHENTICATED }), 'a')).toEqual({
      ok: false,
      refusal: 'AUTHENTICATION_EXPIRED',
    });
    expect(endedSessionConsumption(session({ wrongAttempts: 1 }), 'a')).toEqual({
      ok: false,
      refusal: 'AUTHENTICATION_EXPIRED',
    });
  });
});
