import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { execute } from '@hookstream/db';
import type { DataSource } from 'typeorm';

/** endpoint_health_buckets' upkeep (the attempts repository writes the buckets with each outcome). */
@Injectable()
export class EndpointHealthBucketsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Deletes at most `limit` buckets of this span that started before `before`; answers how many. */
  prune(span: 'minute' | 'hour', before: Date, limit: number): Promise<number> {
    return execute(
      this.db,
      'DELETE FROM endpoint_health_buckets WHERE ctid IN (SELECT ctid FROM endpoint_health_buckets WHERE span = $1 AND bucket_start < $2 LIMIT $3)',
      [span, before, limit],
    );
  }
}
