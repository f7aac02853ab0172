import { TenantEntity } from './registry.entities.js';

export * from './registry.entities.js';

export const ALL_ENTITIES = [TenantEntity];
