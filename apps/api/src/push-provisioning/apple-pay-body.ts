import { ApiProperty } from '@nestjs/swagger';
import { CertificateError, type TrustAnchors, validateAppleCertificateChain } from '@tlo/crypto';
import type { ApplePayProvisioningRequest } from '@tlo/domain';
import { ApiError } from '../http/api-error';

/** Documentation shape of the ApplePay body (Bankly contract). */
export class ApplePayBodyDto {
  @ApiProperty({ description: 'Apple nonce (hex)', example: 'a1b2c3d4' }) nonce!: string;
  @ApiProperty({ description: 'Apple nonceSignature (hex)', example: '3045022100...' })
  nonceSignature!: string;
  @ApiProperty({
    description:
      "PEM certificate chain from Apple's PassKit, leaf (P-256 key) first, then its sub-CA; it must end at a configured trust anchor (Apple Root CA - G3 in production)",
  })
  appleCertificate!: string;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const ALLOWED = new Set(['nonce', 'nonceSignature', 'appleCertificate']);

/**
 * ApplePay requires the body; each field is checked here so a 400 names it. The payload is sealed to
 * the leaf certificate's key, so the chain must validate to a trust anchor before any lifecycle runs.
 */
export function parseApplePayBody(body: unknown, trustAnchors: TrustAnchors): ApplePayProvisioningRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw ApiError.badField(
      'body',
      'ApplePay requires a JSON body with nonce, nonceSignature and appleCertificate',
    );
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !ALLOWED.has(key));
  if (unknown) throw ApiError.badField(unknown, `property ${unknown} should not exist`);
  for (const field of ['nonce', 'nonceSignature'] as const) {
    const value = fields[field];
    if (typeof value !== 'string' || value.length === 0)
      throw ApiError.badField(field, `${field} is required`);
    if (value.length > 2048 || !HEX.test(value))
      throw ApiError.badField(field, `${field} must be hexadecimal`);
  }
  const certificate = fields.appleCertificate;
  if (typeof certificate !== 'string' || certificate.length === 0) {
    throw ApiError.badField('appleCertificate', 'appleCertificate is required');
  }
  if (certificate.length > 32_768)
    throw ApiError.badField('appleCertificate', 'appleCertificate is too large');
  try {
    validateAppleCertificateChain(certificate, trustAnchors);
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    throw ApiError.badField('appleCertificate', `appleCertificate is not a trusted chain: ${error.message}`);
  }
  return {
    nonce: fields.nonce as string,
    nonceSignature: fields.nonceSignature as string,
    appleCertificate: certificate,
  };
}
