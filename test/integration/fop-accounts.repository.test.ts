import type { Connection } from 'mongoose';
import { DuplicateError, FopAccountRepository } from '@tlo/persistence';
import { testServers } from '../setup/servers-file';
import { freshDatabase } from '../support/mongo';

/** The username claim and the phone listing on the real FerretDB (no transactions, `_id` inserts). */
describe('FOP accounts on FerretDB', () => {
  let mongo: Connection;
  let accounts: FopAccountRepository;

  beforeAll(async () => {
    mongo = (await freshDatabase(testServers().mongoUri, 'int_fop_accounts')).connection;
    accounts = new FopAccountRepository(mongo);
    await accounts.ensureIndexes();
  });
  afterAll(() => mongo?.close());

  it('gives a username to exactly one of concurrent creates, and lists every account of a phone', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        accounts.create({
          accountId: `acct-${i}`,
          phoneNumber: '+5511900000000',
          username: 'ana',
          password: 'pw-123456',
        }),
      ),
    );
    const created = outcomes.filter((o) => o.status === 'fulfilled');
    expect(created).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof DuplicateError),
    ).toHaveLength(7);
    const winner = (created[0] as PromiseFulfilledResult<{ accountId: string }>).value.accountId;
    expect(await accounts.signIn('ana', 'pw-123456')).toBe(winner);
    expect(await accounts.signIn('ana', 'wrong-password')).toBeNull();

    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        accounts.create({
          accountId: `shared-${i}`,
          phoneNumber: '+5511911111111',
          username: `u${i}`,
          password: 'pw-123456',
        }),
      ),
    );
    const listed = await mongo
      .db!.collection('fop_account_keys')
      .findOne({ _id: 'phone|+5511911111111' as never });
    expect([...(listed!.accountIds as string[])].sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `shared-${i}`),
    );
    expect(await accounts.findByPhone('+5511911111111')).toMatchObject({
      accountId: 'shared-0',
      username: 'u0',
    });
  });
});
