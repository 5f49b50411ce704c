/** Luhn (mod 10) check over a string of digits. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A PAN as the card registry accepts it: 13 to 19 digits that pass Luhn. */
export function isValidPan(pan: string): boolean {
  return /^\d{13,19}$/.test(pan) && passesLuhn(pan);
}

/** First six and last four visible, as PCI DSS allows for display. */
export function maskPan(pan: string): string {
  return pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
}

export function lastFour(pan: string): string {
  return pan.slice(-4);
}
