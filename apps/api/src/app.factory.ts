import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type AppConfig, createLogger } from '@tlo/config';
import { AppModule } from './app.module';
import { CODEC_FORM_PATHS } from './codec/codec-sign-in.controller';
import { CONFIG } from './core/tokens';
import { V4ErrorFilter, isV4Path } from './saved-card/v4-envelope';
import { useBodyParsing } from './http/body-parsing';
import { ErrorFilter } from './http/error.filter';
import { refuseUndecodablePaths } from './http/path-encoding';
import { securityHeaders } from './http/security-headers';
import { describeIdempotencyKey } from './http/idempotency/openapi';
import { IdempotentReplayFilter } from './http/idempotency/stored-answer';
import { validationPipe } from './http/validation';
import { observeRequests } from './metrics/request-observer';
import { SIGN_IN_PATH } from './tokenized-fop/redirect-authentication.controller';

export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  const config = app.get<AppConfig>(CONFIG);
  // The client address (per-address limits) comes from X-Forwarded-For only through these proxies.
  app.getHttpAdapter().getInstance().set('trust proxy', config.trustProxy);
  observeRequests(app, createLogger('api', process.env.LOG_LEVEL));
  app.use(securityHeaders(config));
  app.use(refuseUndecodablePaths);
  useBodyParsing(app, config.api.limits, [SIGN_IN_PATH, ...CODEC_FORM_PATHS]);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter([{ matches: isV4Path, filter: new V4ErrorFilter() }]));
  app.useGlobalFilters(new IdempotentReplayFilter()); // registered last: it is asked first
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tokenization lifecycle orchestrator')
      .setDescription('Card tokenization lifecycles as durable Temporal workflows.')
      .setVersion('1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, describeIdempotencyKey(document), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
  return app;
}
