import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { API_KEY_VERIFIER, HealthRegistry } from '@hookstream/platform';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { GENERIC_PLANS_OPTION } from './prepared.js';
import { ApiKeyStore } from './api-key-store.js';
import { ALL_ENTITIES } from './entities/index.js';

type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface DbModuleOptions {
  url: string;
  poolSize: number;
  /** Seconds before a connection is replaced (0: never): bounds the age of its prepared statements' plans. */
  maxAgeSeconds: number;
  /** Shown in pg_stat_activity, so a DBA can tell the services apart. */
  applicationName: string;
}

/**
 * The data source every service connects with. Connections are replaced after `maxAgeSeconds`
 * (pg-pool's maxLifetimeSeconds: an idle one at once, a busy one when released), because a
 * connection runs its prepared statements on the generic plans it made first: plans made while
 * a table was small kept scanning it whole after it grew, as long as the connection lived.
 */
export function dataSourceOptions(options: DbModuleOptions): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ALL_ENTITIES,
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName,
    poolSize: options.poolSize,
    extra: { connectionTimeoutMillis: 3000, statement_timeout: 30_000, options: GENERIC_PLANS_OPTION, maxLifetimeSeconds: options.maxAgeSeconds },
  };
}

/** The TypeORM data source (schema from SQL migrations; synchronize is off) and key lookup. */
@Global()
@Module({})
export class DbModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(options: DbModuleOptions): DynamicModule {
    return {
      module: DbModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options),
          // Boot must not hang on an unreachable database forever; readiness reports it.
          retryAttempts: 10,
          retryDelay: 1000,
        }),
      ],
      providers: [ApiKeyStore, { provide: API_KEY_VERIFIER, useExisting: ApiKeyStore }],
      exports: [TypeOrmModule, API_KEY_VERIFIER],
    };
  }

  onModuleInit(): void {
    this.health.register('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
