import { INestApplication, Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { AppConfig } from '@app/config';
import { ACTION_BODY_SCHEMAS, ACTIONS } from '@app/domain';
import { AppModule } from './app.module';
import { actionSchemaName } from './cases/case.controller';
import { AllExceptionsFilter } from './common/http-errors';
import { RESPONSE_SCHEMAS } from './common/response-schemas';
import { MAX_BODY, plainTextMiddleware, validationPipe, verifyJsonDepth } from './common/input-guard';
import { requestIdMiddleware } from './common/request-context';
import { securityHeaders } from './common/security-headers';
import { mountWebUi } from './web-ui';
import { MetricsService } from './metrics/metrics.service';
import { Logger as PinoLogger } from 'nestjs-pino';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Trusted Research case management API')
      .setDescription('Cases of international research collaborations, their triage, export-control review and sign-off.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  // Action bodies are JSON Schemas in libs/domain: the same objects validate requests
  // and are served by GET /api/cases/{id}/actions, so the spec cannot drift from them.
  doc.components ??= {};
  doc.components.schemas ??= {};
  for (const a of ACTIONS) doc.components.schemas[actionSchemaName(a)] = ACTION_BODY_SCHEMAS[a] as never;
  // Response bodies (common/response-schemas.ts): the web's types and the contract test read them.
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) doc.components.schemas[name] = schema as never;
  return doc;
}

/** Everything main.ts and the tests share: prefix, pipes, filter, OpenAPI. */
export async function createApiApp(config: AppConfig, opts: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: opts.logger === false ? false : ['error', 'warn', 'log'],
    // Parsers are added below, after the request id, so even a malformed body's 400 carries one.
    bodyParser: false,
    bufferLogs: opts.logger !== false,
  });
  if (opts.logger !== false) app.useLogger(app.get(PinoLogger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(securityHeaders(config));
  app.use(app.get(MetricsService).middleware);
  // Size and nesting are capped before parsing (input-guard.ts), also for the unauthenticated login.
  app.useBodyParser('json', { limit: MAX_BODY, verify: verifyJsonDepth });
  app.useBodyParser('urlencoded', { extended: false, limit: MAX_BODY, parameterLimit: 200 });
  app.use(plainTextMiddleware);
  app.use(cookieParser());
  mountWebUi(app, config);
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const doc = buildOpenApi(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  Logger.flush();
  return app;
}

/**
 * The OpenAPI document from the app's metadata alone, without a database or Redis (as
 * immich's sync-open-api does): `npm run api:types` renders the web client's types from it.
 */
export async function openApiDocument(config: AppConfig): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: false, preview: true, abortOnError: false });
  app.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  try {
    return buildOpenApi(app);
  } finally {
    await app.close();
  }
}
