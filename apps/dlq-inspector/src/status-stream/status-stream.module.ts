import { Module } from '@nestjs/common';
import { StatusStreamConsumer } from './status-stream.consumer.js';
import { StatusStream } from './status-stream.js';

@Module({
  providers: [StatusStream, StatusStreamConsumer],
  exports: [StatusStream],
})
export class StatusStreamModule {}
