import { INestApplication, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ErrorCode } from '@hearth/protocol';
import type { Request, Response } from 'express';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { AccountsService } from './accounts/accounts.service';
import { AppModule } from './app.module';
import { HearthException } from './common/errors/hearth.exception';
import { configureHttp } from './common/http/http-setup';
import { serveWebApp } from './web/web-app';
import { HubConfig } from './config/config';
import { openDataSource } from './database/data-source';
import { EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded';
import { InvitesService } from './invites/invites.service';
import { Lifecycle } from './health/lifecycle';
import { HubIoAdapter } from './realtime/hub-io.adapter';
import { connectRedis, RedisClient } from './redis/redis';

export const API_PREFIX = 'api/v1';

export interface HubOptions {
  /** Tests: run the embedded database in memory from this migrated dump instead of DATA_DIR. */
  embeddedTemplate?: Blob;
  logger?: false | LogLevel[];
}

export interface Hub {
  app: INestApplication;
  dataSource: DataSource;
  url: string;
  /** Printed on a start with no admin yet; null once an admin exists. */
  setupInvite: string | null;
  close(): Promise<void>;
}

/** Opens the database (running migrations), starts the HTTP server, prepares the setup invite. */
export async function startHub(config: HubConfig, options: HubOptions = {}): Promise<Hub> {
  let embedded: EmbeddedDatabase | null = null;
  let dataSource: DataSource | null = null;
  let app: NestExpressApplication | null = null;
  let redis: RedisClient | null = null;
  try {
    if (config.redisUrl !== null) redis = await connectRedis(config.redisUrl);
    if (config.databaseUrl === null) {
      embedded = await startEmbeddedDatabase(
        options.embeddedTemplate ? { loadDataDir: options.embeddedTemplate } : { dataDir: config.dataDir },
      );
    }
    dataSource = await openDataSource(
      config.databaseUrl !== null ? { url: config.databaseUrl } : { embedded: embedded! },
    );
    app = await NestFactory.create<NestExpressApplication>(AppModule.with(config, dataSource, redis), {
      bodyParser: false,
      // Nest's 'log' level lists every route at start: noise. Warnings and errors only.
      logger: options.logger ?? ['warn', 'error'],
    });
    // Before the API's own headers: the web client has a CSP of its own.
    if (config.webDir !== null && !serveWebApp(app, config.webDir)) {
      new Logger('Web').warn('The web client is not built (npm run build:web): only the API is served');
    }
    configureHttp(app, config);
    app.useWebSocketAdapter(new HubIoAdapter(app, redis));
    app.setGlobalPrefix(API_PREFIX);
    await app.init();
    // Nest answers unknown paths only under its prefix; everything else gets the same JSON 404.
    app.use(notFoundEverywhere);
    await app.listen(config.port, config.listenHost);
    const invites = app.get(InvitesService);
    const setupInvite = await invites.prepareSetupInvite(await app.get(AccountsService).adminExists());
    invites.startPurging();
    app.get(AccountsService).startPurging();
    const { port } = app.getHttpServer().address() as AddressInfo;
    const started = { app, dataSource, redis };
    let closing: Promise<void> | null = null;
    return {
      app,
      dataSource,
      url: `http://${urlHost(config.listenHost)}:${port}`,
      setupInvite,
      close() {
        closing ??= (async () => {
          // Draining first: health answers 503, new sockets are refused, in-flight sends finish,
          // live sockets are closed so their clients reconnect to another node.
          started.app.get(Lifecycle).startDraining();
          await started.app.close();
          await started.dataSource.destroy();
          await started.redis?.quit().catch(() => undefined);
          await embedded?.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await redis?.quit().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    await embedded?.close().catch(() => undefined);
    throw err;
  }
}

function notFoundEverywhere(_req: Request, res: Response): void {
  res.status(404).json(new HearthException(ErrorCode.NotFound, 'No such resource').toBody());
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
