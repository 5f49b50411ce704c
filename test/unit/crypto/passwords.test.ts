import { hashPassword, verifyPassword } from '@tlo/crypto';

describe('password hashing', () => {
  it('stores scrypt with a salt of its own, and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(stored).not.toContain('correct');
    expect(await hashPassword('correct horse battery')).not.toBe(stored);
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', stored)).resolves.toBe(false);
    await expect(verifyPassword('x', 'plain-text')).rejects.toThrow('not a scrypt password hash');
  });

  it('hashes off the event loop: a timer keeps ticking during 8 concurrent verifications', async () => {
    const stored = await hashPassword('correct horse battery');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const verifications = Array.from({ length: 8 }, (_, i) => verifyPassword(`wrong ${i}`, stored));
      expect(verifications[0]).toBeInstanceOf(Promise);
      expect(await Promise.all(verifications)).toEqual(Array(8).fill(false));
      // Had the hashing run on the event loop, all 8 would be done before the timer could fire once.
      expect(ticks).toBeGreaterThanOrEqual(3);
    } finally {
      clearInterval(timer);
    }
  });
});
