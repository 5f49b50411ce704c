import { type CardAttempt, DEFAULT_CARD_OTP_LIMITS, admitAttempt } from '@tlo/domain';

const HOUR = 3600_000;
const limit = { max: 3, windowMs: 24 * HOUR };

/** Admits attempts one after another, as the per-card record would. */
function replay(attempts: CardAttempt[]) {
  let counted: CardAttempt[] = [];
  return attempts.map((attempt) => {
    const verdict = admitAttempt(limit, counted, attempt);
    counted = verdict.recorded;
    return verdict.admitted;
  });
}

describe('per-card rolling limits on one-time codes', () => {
  it('has documented defaults: 10 codes sent and 15 wrong codes per card per 24 h', () => {
    expect(DEFAULT_CARD_OTP_LIMITS).toEqual({
      sends: { max: 10, windowMs: 24 * HOUR },
      wrongGuesses: { max: 15, windowMs: 24 * HOUR },
    });
  });

  it('admits up to max attempts in the window, whichever request they come from', () => {
    const attempts = ['r1:send:1', 'r1:send:2', 'r2:send:1', 'r2:send:2'].map((id, i) => ({
      id,
      at: i * HOUR,
    }));
    expect(replay(attempts)).toEqual([true, true, true, false]);
  });

  it('is a rolling window: an attempt is admitted again once the oldest counted one left it', () => {
    const at = [0, 1, 2].map((h) => ({ id: `a${h}`, at: h * HOUR }));
    const counted = at.reduce<CardAttempt[]>(
      (list, attempt) => admitAttempt(limit, list, attempt).recorded,
      [],
    );
    const tooEarly = admitAttempt(limit, counted, { id: 'b', at: 24 * HOUR - 1 });
    expect(tooEarly).toEqual({ admitted: false, recorded: counted, retryAfterMs: 1 });
    const later = admitAttempt(limit, counted, { id: 'b', at: 24 * HOUR });
    expect(later.admitted).toBe(true);
    expect(later.recorded.map((a) => a.id)).toEqual(['a1', 'a2', 'b']);
  });

  it('counts a retried attempt (same id) once', () => {
    const first = admitAttempt(limit, [], { id: 'r1:send:1', at: 0 });
    const retried = admitAttempt(limit, first.recorded, { id: 'r1:send:1', at: 5 });
    expect(retried).toEqual({ admitted: true, recorded: first.recorded });
  });

  it("keeps only the attempts inside the window, so a card's record stays small", () => {
    const old = [{ id: 'old', at: 0 }];
    expect(admitAttempt(limit, old, { id: 'new', at: 48 * HOUR }).recorded).toEqual([
      { id: 'new', at: 48 * HOUR },
    ]);
  });
});
