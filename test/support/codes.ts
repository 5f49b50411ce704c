/** A 6-digit code that is surely not `code`: for wrong-code attempts. */
export const wrongCodeFor = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Matches `code` as a value of its own, not inside a longer number (timestamps, ids, fractions of seconds). */
export const standaloneCode = (code: string): RegExp => new RegExp(`(?<![\\d.])${code}(?!\\d)`);
