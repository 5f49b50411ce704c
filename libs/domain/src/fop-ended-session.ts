import type { AuthenticationRefusal, VerifyOtpResult } from './tokenized-fop';

/**
 * The read model of an authentication session whose actor has ended, as far as its answers need it:
 * the session answers from what it recorded, not from the name of the state it ended in.
 */
export interface EndedSession {
  accountId: string;
  wrongAttempts: number;
  maxAttempts: number;
  /** Set once the user authenticated (code or redirect). */
  authenticatedUntil: string | null;
  /** Set once the proof was used, by that association or token. */
  consumedBy: string | null;
}

/** A session that took its last wrong code is locked: no later code or use is accepted. */
const locked = (session: EndedSession) => session.wrongAttempts >= session.maxAttempts;

/**
 * What a code typed for an ended SMS session answers: already used once the user authenticated,
 * the limit reached when it locked on wrong codes, and otherwise the code expired untyped.
 */
export function endedSessionVerification(session: EndedSession): VerifyOtpResult {
  if (session.authenticatedUntil !== null) return 'OTP_ALREADY_USED';
  return locked(session) ? 'OTP_LIMIT_REACHED' : 'OTP_EXPIRED';
}

/**
 * What using an ended session's proof answers: the proof serves again only the association or token
 * it was used by; a session that locked never completed; any other ended session has expired.
 */
export function endedSessionConsumption(
  session: EndedSession,
  by: string,
): { ok: true; accountId: string } | { ok: false; refusal: AuthenticationRefusal } {
  if (session.consumedBy !== null) {
    return session.consumedBy === by
      ? { ok: true, accountId: session.accountId }
      : { ok: false, refusal: 'AUTHENTICATION_ALREADY_USED' };
  }
  if (locked(session)) return { ok: false, refusal: 'AUTHENTICATION_NOT_COMPLETED' };
  return { ok: false, refusal: 'AUTHENTICATION_EXPIRED' };
}
