import { Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { AppConfig } from '@tlo/config';
import { CONFIG } from '../core/tokens';
import { CodecController } from './codec.controller';
import { codecCors } from './codec-cors.middleware';
import { codecSession } from './codec-session';
import { CodecSignInController } from './codec-sign-in.controller';

@Module({ controllers: [CodecController, CodecSignInController] })
export class CodecModule implements NestModule {
  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(codecCors(this.config.codec.corsOrigins))
      .forRoutes({ path: 'codec/*path', method: RequestMethod.ALL });
    consumer
      .apply(codecSession(this.config.codec.corsOrigins))
      .forRoutes(
        { path: 'codec/decode', method: RequestMethod.POST },
        { path: 'codec/encode', method: RequestMethod.POST },
      );
  }
}
