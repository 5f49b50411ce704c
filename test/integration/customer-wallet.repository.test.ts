import type { Connection } from 'mongoose';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { PaymentRepository, SavedCardRepository } from '@tlo/persistence';
import { testServers } from '../setup/servers-file';
import { dumpDatabase, freshDatabase } from '../support/mongo';

const PAN = '4111111111111111';

describe('customer wallet persistence on FerretDB', () => {
  let mongo: Connection;
  let payments: PaymentRepository;
  let vault: SavedCardRepository;

  beforeAll(async () => {
    mongo = (await freshDatabase(testServers().mongoUri, 'int_wallet')).connection;
    payments = new PaymentRepository(mongo);
    vault = new SavedCardRepository(mongo, new FieldCipher(new KeyRing([KeyRing.generateKey('int')])));
    await vault.ensureIndexes();
    await payments.ensureIndexes();
  });
  afterAll(async () => {
    await mongo?.close();
  });

  const payment = () => ({
    shopId: 'shop',
    orderId: 'order-1',
    amount: 100,
    currency: 'EUR',
    paymentMethodToken: null,
    brand: 'VISA' as const,
    maskedPan: '411111******1111',
    customer: { email: null, reference: null, billingDetails: null },
  });

  it('records a form’s payment once, however often (and concurrently) it is retried', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () => payments.record(payment(), 'form-pay-1')),
    );
    expect(new Set(attempts.map((p) => p.paymentId))).toEqual(new Set(['form-pay-1']));
    expect(await mongo.db!.collection('payments').countDocuments({ paymentId: 'form-pay-1' })).toBe(1);
    const other = await payments.record(payment());
    expect(other.paymentId).not.toBe('form-pay-1');
  });

  it('keeps the first save of a token, and its purge erases the ciphertext but not the masked data', async () => {
    const card = {
      paymentMethodToken: 'a'.repeat(32),
      shopId: 'shop',
      customerReference: 'cust',
      brand: 'VISA' as const,
      pan: PAN,
      expiryMonth: 12,
      expiryYear: 2040,
      email: 'e@example.com',
      billingDetails: { city: 'Lyon' },
    };
    await vault.save(card);
    await vault.save({ ...card, pan: '5555555555554444', email: 'other@example.com' });
    expect(await vault.readPan(card.paymentMethodToken)).toBe(PAN);
    expect(await vault.find(card.paymentMethodToken)).toMatchObject({
      email: 'e@example.com',
      maskedPan: '411111******1111',
    });
    const ciphertext = (await mongo
      .db!.collection('saved_cards')
      .findOne({ paymentMethodToken: card.paymentMethodToken }))!.panCiphertext as string;
    expect(ciphertext).toMatch(/^v1\.int\./);
    expect(await dumpDatabase(mongo)).not.toContain(PAN);

    await vault.purge(card.paymentMethodToken, new Date('2030-01-01T00:00:00Z'));
    await vault.purge(card.paymentMethodToken, new Date('2031-01-01T00:00:00Z'));
    expect(await vault.find(card.paymentMethodToken)).toMatchObject({
      hasCardData: false,
      purgedAt: '2030-01-01T00:00:00.000Z',
      maskedPan: '411111******1111',
    });
    expect(await vault.readPan(card.paymentMethodToken)).toBeNull();
    expect(await dumpDatabase(mongo)).not.toContain(ciphertext);
  });
});
