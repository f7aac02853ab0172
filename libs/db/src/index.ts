export * from './migrate.js';
export * from './entities/index.js';
export * from './api-key-store.js';
export * from './db.module.js';
export * from './sql.js';
export * from './partitions.js';
export * from './retention.js';
export * from './tenant-quotas.js';
