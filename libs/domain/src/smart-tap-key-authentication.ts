import type { KeyStatus } from './smart-tap';

/**
 * Whether an issuer's key version still authenticates a terminal at `now` (epoch ms): an ACTIVE
 * version does; a RETIRING one does until its grace ends (`retiresAt`, exclusive); a RETIRED one
 * does not.
 */
export function keyAuthenticates(key: { status: KeyStatus; retiresAt: string | null }, now: number): boolean {
  if (key.status === 'ACTIVE') return true;
  return key.status === 'RETIRING' && key.retiresAt !== null && now < Date.parse(key.retiresAt);
}
