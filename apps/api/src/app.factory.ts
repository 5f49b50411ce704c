import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createLogger } from '@tlo/config';
import { AppModule } from './app.module';
import { V4ErrorFilter, isV4Path } from './customer-wallet/v4-envelope';
import { ErrorFilter } from './http/error.filter';
import { describeIdempotencyKey } from './http/idempotency/openapi';
import { IdempotentReplayFilter } from './http/idempotency/stored-answer';
import { validationPipe } from './http/validation';
import { observeRequests } from './metrics/request-observer';

export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'], bodyParser: true });
  observeRequests(app, createLogger('api', process.env.LOG_LEVEL));
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
