/**
 * Per-card limits on one-time codes, across every tokenization request of the card: each request has
 * its own small budget (sends, wrong attempts), so without a per-card cap a caller could open request
 * after request and keep guessing. A limit holds over a rolling window.
 */
export interface RollingLimit {
  /** At most this many attempts in any window of `windowMs`. */
  max: number;
  windowMs: number;
}

export type CardAttemptKind = 'OTP_SEND' | 'OTP_WRONG_GUESS';

export interface CardOtpLimits {
  sends: RollingLimit;
  wrongGuesses: RollingLimit;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** 10 codes sent and 15 wrong codes per card per 24 h, whatever the number of requests. */
export const DEFAULT_CARD_OTP_LIMITS: CardOtpLimits = {
  sends: { max: 10, windowMs: DAY_MS },
  wrongGuesses: { max: 15, windowMs: DAY_MS },
};

export const limitFor = (limits: CardOtpLimits, kind: CardAttemptKind): RollingLimit =>
  kind === 'OTP_SEND' ? limits.sends : limits.wrongGuesses;

/** One counted attempt: `id` names it (e.g. `<requestId>:send:2`), so a retried recording counts once. */
export interface CardAttempt {
  id: string;
  /** Epoch milliseconds. */
  at: number;
}

export type AttemptVerdict =
  | { admitted: true; recorded: CardAttempt[] }
  | { admitted: false; recorded: CardAttempt[]; retryAfterMs: number };

/**
 * Whether `attempt` fits the rolling limit, given the attempts already counted. Only attempts still
 * inside the window are kept (at most `max`), so what is stored per card stays small. An attempt
 * already counted (same id) is admitted again without counting twice.
 */
export function admitAttempt(
  limit: RollingLimit,
  counted: CardAttempt[],
  attempt: CardAttempt,
): AttemptVerdict {
  const inWindow = counted.filter((a) => attempt.at - a.at < limit.windowMs).sort((a, b) => a.at - b.at);
  if (inWindow.some((a) => a.id === attempt.id)) return { admitted: true, recorded: inWindow };
  if (inWindow.length >= limit.max) {
    // The next attempt fits once the oldest counted one leaves the window.
    const oldest = inWindow[inWindow.length - limit.max];
    return { admitted: false, recorded: inWindow, retryAfterMs: oldest.at + limit.windowMs - attempt.at };
  }
  return { admitted: true, recorded: [...inWindow, attempt] };
}
