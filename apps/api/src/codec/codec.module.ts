import { Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import type { AppConfig } from '@tlo/config';
import { CONFIG } from '../core/tokens';
import { CodecController } from './codec.controller';
import { codecCors } from './codec-cors.middleware';

@Module({ controllers: [CodecController] })
export class CodecModule implements NestModule {
  constructor(@Inject(CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(codecCors(this.config.codec.corsOrigins))
      .forRoutes({ path: 'codec/*path', method: RequestMethod.ALL });
  }
}
