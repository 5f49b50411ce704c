import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@tlo/config';
import { KeyRing } from '@tlo/crypto';
import { EncryptionCodec } from '@tlo/temporal';
import { RequireScopes } from '../auth/scopes.decorator';
import { CONFIG } from '../core/tokens';
import { ApiError } from '../http/api-error';
import { type CodecBody, payloadsOf, toJson } from './codec-payloads';
import { IdempotencyKeyIgnored } from '../http/idempotency/idempotency.decorator';

/**
 * Codec server for the Temporal Web UI and CLI (`--codec-endpoint`, `--codec-auth`). Always
 * authenticated: a bearer token, or the operator's session cookie from `/codec/sign-in`, with
 * `codec.decode` to read payloads and `codec.encode` to seal them (whoever can seal payloads can send
 * a workflow anything the worker would accept: grant it as narrowly as the key itself).
 */
@ApiTags('operations')
@ApiBearerAuth()
@IdempotencyKeyIgnored()
@Controller('codec')
export class CodecController {
  private readonly codec: EncryptionCodec;

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.codec = new EncryptionCodec(KeyRing.parse(config.codec.keyRing));
  }

  /**
   * What the history holds, readable: sealed payloads opened, payloads in clear (headers, input sent
   * without the key) as they are. A payload that claims the ring's encoding but does not open is
   * refused, naming it.
   */
  @Post('decode')
  @HttpCode(200)
  @RequireScopes('codec.decode')
  decode(@Body() body: unknown): CodecBody {
    return {
      payloads: payloadsOf(body).map((payload, index) => {
        const opened = this.codec.open(payload);
        if ('payload' in opened) return toJson(opened.payload);
        if (opened.refused.reason === 'unsealed') return toJson(payload);
        throw ApiError.badField(`payloads[${index}].${opened.refused.field}`, opened.refused.message);
      }),
    };
  }

  @Post('encode')
  @HttpCode(200)
  @RequireScopes('codec.encode')
  async encode(@Body() body: unknown): Promise<CodecBody> {
    return { payloads: (await this.codec.encode(payloadsOf(body))).map(toJson) };
  }
}
