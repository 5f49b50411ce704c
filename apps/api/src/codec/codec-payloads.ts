import type { Payload } from '@temporalio/common';
import { ApiError } from '../http/api-error';

/** Payloads as the Temporal UI and CLI send them to a remote codec: proto3 JSON, bytes in base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}
export interface CodecBody {
  payloads: JsonPayload[];
}

/** Standard or URL-safe base64, as proto3 JSON allows for bytes. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function bytes(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value))
    throw ApiError.badField(field, `${field} must be a base64 string`);
  return Buffer.from(value, 'base64');
}

function fromJson(payload: unknown, index: number): Payload {
  const at = `payloads[${index}]`;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw ApiError.badField(at, `${at} must be an object`);
  const { metadata = {}, data = '' } = payload as { metadata?: unknown; data?: unknown };
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw ApiError.badField(`${at}.metadata`, `${at}.metadata must be an object of base64 strings`);
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata).map(([key, value]) => [key, bytes(value, `${at}.metadata.${key}`)]),
    ),
    data: bytes(data, `${at}.data`),
  };
}

/**
 * The payloads of a codec request. A request without `payloads` (the CLI sends `{}` for an update
 * without arguments) has none.
 */
export function payloadsOf(body: unknown): Payload[] {
  if (body === undefined || body === null) return [];
  if (typeof body !== 'object' || Array.isArray(body))
    throw ApiError.badField('body', 'the body must be an object {"payloads": [...]}');
  const { payloads } = body as { payloads?: unknown };
  if (payloads === undefined) return [];
  if (!Array.isArray(payloads)) throw ApiError.badField('payloads', 'payloads must be an array');
  return payloads.map(fromJson);
}

export function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value).toString('base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
