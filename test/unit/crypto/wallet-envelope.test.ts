import { createHmac } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import {
  buildApplePayData,
  buildGooglePayData,
  deriveEnvelopeKey,
  openEnvelope,
  sealEnvelope,
  validateAppleCertificateChain,
} from '@tlo/crypto';
import { anchorsOf, makeAppleChain, makeRoot } from '../../support/certificates';
import { nodeOpenEnvelope, openWalletData, rawPrivateKey } from '../../support/node-envelope';

const hex = (value: string) => Buffer.from(value, 'hex');

// Computed once with node:crypto alone (ECDH, SHA-256, AES-256-GCM with a 16-byte zero IV).
const VECTOR = {
  recipientPrivateKey: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
  recipientPublicKey:
    '0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  ephemeralPrivateKey: '0d63a0ecf8c5ad93f8f4b9d4e3a5d7cabfd1b3b2a8d0c6e4f2a1b9c7d5e3f1a2',
  ephemeralPublicKey:
    '0415531bdb4fb01eecaa8a7b3a953b0d2652abfc142dbba63fac2504b06aefc23537be442450616bed5a1df7f4791a903eae09736e16a951dc383693df5e42865f',
  key: '84f40a073a99fe33b39e6dfe2bd084cd772871e6325b96f8022e0ccc0f66588d',
  plaintext:
    '{"primaryAccountNumber":"5555555555554444","expiration":"12/30","name":"MARIA DA SILVA","nonce":"a1b2c3d4","nonceSignature":"deadbeef"}',
  encryptedData:
    '52fa6544a61d94cd6bae397c58f2dca6f2aae62dd86fc8c1f466cd5ea37212d8b9ac265311e3ed1932d5ad6e7ad00650a710de2c7868f1ad27ff2b895c73da13e04b980583f001378e988fff57af1652f72d4420689d8f67ca7bf6ce2abb5a2a17f0d3796edd51979306442d1607ab429fd3f6a562415a513b715948f890974753159f89bf51b943c7f180d7abffeb848c26a7132de3da',
};

describe('wallet envelope (ECDH P-256 + SHA-256 KDF + AES-256-GCM)', () => {
  it('reproduces the fixed vector exactly', () => {
    const sealed = sealEnvelope(
      hex(VECTOR.recipientPublicKey),
      Buffer.from(VECTOR.plaintext),
      hex(VECTOR.ephemeralPrivateKey),
    );
    expect(Buffer.from(sealed.ephemeralPublicKey).toString('hex')).toBe(VECTOR.ephemeralPublicKey);
    expect(Buffer.from(sealed.encryptedData).toString('hex')).toBe(VECTOR.encryptedData);
    const z = p256
      .getSharedSecret(hex(VECTOR.ephemeralPrivateKey), hex(VECTOR.recipientPublicKey), true)
      .slice(1);
    expect(Buffer.from(deriveEnvelopeKey(z, sealed.ephemeralPublicKey)).toString('hex')).toBe(VECTOR.key);
  });

  it('is opened by an independent node:crypto implementation', () => {
    const recipientPrivate = p256.utils.randomPrivateKey();
    const plaintext = Buffer.from('{"accountNumber":"4111111111111111"}');
    const sealed = sealEnvelope(p256.getPublicKey(recipientPrivate, false), plaintext);
    expect(sealed.ephemeralPublicKey).toHaveLength(65);
    expect(sealed.ephemeralPublicKey[0]).toBe(0x04);
    expect(sealed.encryptedData).toHaveLength(plaintext.length + 16);
    const opened = nodeOpenEnvelope(
      Buffer.from(recipientPrivate),
      Buffer.from(sealed.ephemeralPublicKey),
      Buffer.from(sealed.encryptedData),
    );
    expect(opened.toString()).toBe(plaintext.toString());
  });

  it('uses a fresh ephemeral key per payload', () => {
    const recipient = p256.getPublicKey(p256.utils.randomPrivateKey(), false);
    const a = sealEnvelope(recipient, Buffer.from('same'));
    const b = sealEnvelope(recipient, Buffer.from('same'));
    expect(Buffer.from(a.ephemeralPublicKey).equals(Buffer.from(b.ephemeralPublicKey))).toBe(false);
    expect(Buffer.from(a.encryptedData).equals(Buffer.from(b.encryptedData))).toBe(false);
  });

  it('refuses a tampered ciphertext', () => {
    const recipientPrivate = p256.utils.randomPrivateKey();
    const sealed = sealEnvelope(p256.getPublicKey(recipientPrivate), Buffer.from('payload'));
    sealed.encryptedData[0] ^= 0xff;
    expect(() => openEnvelope(recipientPrivate, sealed)).toThrow();
  });
});

describe('ApplePay data', () => {
  const card = { pan: '5555555555554444', expiryMonth: 3, expiryYear: 2031, holderName: 'MARIA DA SILVA' };

  it('is sealed to the leaf certificate key, readable with OpenSSL, with HMAC activation data', async () => {
    const root = await makeRoot();
    const { chainPem, leafPrivateKeyPem } = await makeAppleChain(root);
    const activationKey = Buffer.alloc(32, 7);
    const data = buildApplePayData({
      card,
      proxy: 'proxy-1',
      nonce: 'a1b2',
      nonceSignature: 'c3d4',
      leafPublicKey: validateAppleCertificateChain(chainPem, anchorsOf(root)),
      activationKey,
    });
    const { fields: decoded, card: sealed } = openWalletData(data, rawPrivateKey(leafPrivateKeyPem));
    expect(Object.keys(decoded).sort()).toEqual(['ActivationData', 'EncryptedData', 'EphemeralPublicKey']);
    expect(sealed).toEqual({
      primaryAccountNumber: '5555555555554444',
      expiration: '03/31',
      name: 'MARIA DA SILVA',
      nonce: 'a1b2',
      nonceSignature: 'c3d4',
    });
    const expectedActivation = createHmac('sha256', activationKey).update('proxy-1|a1b2').digest('base64');
    expect(decoded.ActivationData).toBe(expectedActivation);
  });
});

describe('GooglePay data', () => {
  it('is sealed to the wallet provider key with the documented plaintext', () => {
    const providerPrivate = p256.utils.randomPrivateKey();
    const data = buildGooglePayData({
      card: { pan: '4111111111111111', expiryMonth: 11, expiryYear: 2029, holderName: 'JOAO' },
      providerPublicKey: p256.getPublicKey(providerPrivate, false),
    });
    const { fields, card: sealed } = openWalletData(data, Buffer.from(providerPrivate));
    expect(Object.keys(fields).sort()).toEqual(['EncryptedData', 'EphemeralPublicKey']);
    expect(sealed).toEqual({
      accountNumber: '4111111111111111',
      expiryMonth: '11',
      expiryYear: '2029',
      name: 'JOAO',
    });
  });
});
