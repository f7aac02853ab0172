import { Module } from '@nestjs/common';
import { LetterReplayer } from './letter-replayer.service.js';
import { ReplaysRepository } from './replays.repository.js';

/** Replaying dead letters and auditing it: shared by single replays and replay jobs. */
@Module({
  providers: [ReplaysRepository, LetterReplayer],
  exports: [ReplaysRepository, LetterReplayer],
})
export class ReplaysModule {}
