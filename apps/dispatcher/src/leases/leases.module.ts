import { Module } from '@nestjs/common';
import { DeliveryLeases } from './delivery-leases.js';
import { ExpiredLeasesWorker } from './expired-leases.worker.js';
import { LeasesRepository } from './leases.repository.js';

/** delivery_leases: attempts this process holds past their batch, and the re-driving of dead processes' leases. */
@Module({
  providers: [LeasesRepository, DeliveryLeases, ExpiredLeasesWorker],
  exports: [LeasesRepository, DeliveryLeases],
})
export class LeasesModule {}
