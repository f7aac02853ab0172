import { Module } from '@nestjs/common';
import { DeliveryStatusConsumer } from './delivery-status.consumer.js';
import { StatusStream } from './status-stream.js';

@Module({
  providers: [StatusStream, DeliveryStatusConsumer],
  exports: [StatusStream],
})
export class StatusStreamModule {}
