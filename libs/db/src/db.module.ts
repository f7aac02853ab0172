import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { API_KEY_VERIFIER, HealthRegistry } from '@hookstream/platform';
import { DataSource } from 'typeorm';
import { GENERIC_PLANS_OPTION } from './prepared.js';
import { ApiKeyStore } from './api-key-store.js';
import { ALL_ENTITIES } from './entities/index.js';

export interface DbModuleOptions {
  url: string;
  poolSize: number;
  /** Shown in pg_stat_activity, so a DBA can tell the services apart. */
  applicationName: string;
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
          type: 'postgres',
          url: options.url,
          entities: ALL_ENTITIES,
          synchronize: false,
          migrationsRun: false,
          applicationName: options.applicationName,
          poolSize: options.poolSize,
          extra: { connectionTimeoutMillis: 3000, statement_timeout: 30_000, options: GENERIC_PLANS_OPTION },
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
