import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import type { AppConfig } from '@tlo/config';
import { EncryptionCodec } from '@tlo/temporal';
import { KeyRing } from '@tlo/crypto';
import type { Request } from 'express';
import { CONFIG } from '../core/tokens';
import { Public } from '../auth/scopes.decorator';
import { ApiError } from '../http/api-error';
import { verifyToken } from '../auth/jwt';
import { IdempotencyKeyIgnored } from '../http/idempotency/idempotency.decorator';

/** Payloads as the Temporal UI and CLI send them to a remote codec: proto3 JSON, bytes in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}
interface CodecBody {
  payloads?: JsonPayload[];
}

function fromJson(payload: JsonPayload, index: number): Payload {
  if (typeof payload !== 'object' || payload === null)
    throw ApiError.badField(`payloads[${index}]`, 'must be an object');
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [
        key,
        Buffer.from(String(value), 'base64'),
      ]),
    ),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): JsonPayload {
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

/**
 * Codec server for the Temporal Web UI and CLI (`--codec-endpoint`). With CODEC_REQUIRE_AUTH=true
 * (the production default) the caller needs a bearer token with the `codec.decode` scope; locally the
 * dev UI calls it without one.
 */
@ApiTags('operations')
@IdempotencyKeyIgnored()
@Controller('codec')
@Public()
export class CodecController {
  private readonly codec: EncryptionCodec;

  constructor(@Inject(CONFIG) private readonly config: AppConfig) {
    this.codec = new EncryptionCodec(KeyRing.parse(config.codec.keyRing));
  }

  @Post('decode')
  @HttpCode(200)
  async decode(@Body() body: CodecBody, @Req() request: Request): Promise<CodecBody> {
    this.authorize(request, 'codec.decode');
    return { payloads: (await this.codec.decode(this.parse(body))).map(toJson) };
  }

  @Post('encode')
  @HttpCode(200)
  async encode(@Body() body: CodecBody, @Req() request: Request): Promise<CodecBody> {
    this.authorize(request, 'codec.encode');
    return { payloads: (await this.codec.encode(this.parse(body))).map(toJson) };
  }

  private parse(body: CodecBody): Payload[] {
    if (!body || !Array.isArray(body.payloads))
      throw ApiError.badField('payloads', 'payloads must be an array');
    return body.payloads.map(fromJson);
  }

  private authorize(request: Request, scope: string): void {
    if (!this.config.codec.requireAuth) return;
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new ApiError(401, { code: 'UNAUTHORIZED', message: 'a bearer token is required' });
    let scopes: string[];
    try {
      scopes = verifyToken(this.config.auth.jwtSecret, this.config.auth.issuer, token).scopes;
    } catch {
      throw new ApiError(401, { code: 'UNAUTHORIZED', message: 'the bearer token is invalid or expired' });
    }
    if (!scopes.includes(scope))
      throw new ApiError(403, { code: 'FORBIDDEN', message: `missing scope: ${scope}` });
  }
}
