import type { Connection } from 'mongoose';
import { CardAttemptRepository } from '@tlo/persistence';
import { testServers } from '../setup/servers-file';
import { freshDatabase } from '../support/mongo';

const HOUR = 3600_000;

describe("a card's one-time code attempts on FerretDB", () => {
  let mongo: Connection;
  let attempts: CardAttemptRepository;

  beforeAll(async () => {
    mongo = (await freshDatabase(testServers().mongoUri, 'int_card_attempts')).connection;
    attempts = new CardAttemptRepository(mongo);
  });
  afterAll(async () => {
    await mongo?.close();
  });

  it('admits exactly the limit under concurrency: no attempt is lost, none counted twice', async () => {
    const limit = { max: 10, windowMs: 24 * HOUR };
    const now = Date.now();
    const verdicts = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        attempts.admit('OTP_SEND', 'card-busy', limit, { id: `r${i % 4}:send:${i}`, at: now + i }),
      ),
    );
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(10);
    expect(await attempts.counted('OTP_SEND', 'card-busy')).toHaveLength(10);
    // Another card, and the other kind of attempt, have their own counts.
    expect((await attempts.admit('OTP_SEND', 'card-calm', limit, { id: 'x', at: now })).admitted).toBe(true);
    expect((await attempts.admit('OTP_WRONG_GUESS', 'card-busy', limit, { id: 'x', at: now })).admitted).toBe(
      true,
    );
  });

  it('counts a retried attempt once, and admits again when the window has rolled', async () => {
    const limit = { max: 2, windowMs: HOUR };
    const t0 = Date.now();
    const admit = (id: string, at: number) =>
      attempts.admit('OTP_WRONG_GUESS', 'card-roll', limit, { id, at });
    expect((await admit('a', t0)).admitted).toBe(true);
    expect((await admit('a', t0 + 10)).admitted).toBe(true);
    expect((await admit('b', t0 + 20)).admitted).toBe(true);
    expect(await admit('c', t0 + 30)).toEqual({
      admitted: false,
      recorded: expect.any(Array),
      retryAfterMs: HOUR - 30,
    });
    expect((await admit('c', t0 + HOUR)).admitted).toBe(true);
    expect((await attempts.counted('OTP_WRONG_GUESS', 'card-roll')).map((a) => a.id)).toEqual(['b', 'c']);
  });
});
