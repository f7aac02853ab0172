import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type BytesView, type ListPage, QUARANTINE_TOPICS, type QuarantinedDetail, type QuarantinedView, type QuarantineRedrive, type TopicKey, TOPICS } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import { KafkaProducer } from '@hookstream/kafka';
import { decodeCursor, type Logger, LOGGER, nextCursor, type Principal } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import { QuarantineRepository, type StoredQuarantine, type StoredQuarantineDetail } from './quarantine.repository.js';

export interface QuarantineFilter {
  /** A source topic as docs/architecture.md names it (`hookstream.events`). */
  topic?: string;
  code?: string;
  since?: string;
  until?: string;
  status?: 'quarantined' | 'redriven';
}

/** The topics a quarantined message may be re-driven to: the consumed ones, under this environment's prefix. */
const SOURCE_KEYS = Object.keys(QUARANTINE_TOPICS) as TopicKey[];

@Injectable()
export class QuarantineService {
  private readonly sources: Map<string, string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: QuarantineRepository,
    private readonly producer: KafkaProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // physical name → logical name
    this.sources = new Map(SOURCE_KEYS.map((k) => [producer.topicName(k), TOPICS[k]]));
  }

  async list(tenantId: string | null, opts: { filter: QuarantineFilter; limit: number; cursor?: string }): Promise<ListPage<QuarantinedView>> {
    const { topic, ...rest } = opts.filter;
    const key = topic === undefined ? undefined : SOURCE_KEYS.find((k) => TOPICS[k] === topic);
    const rows = await this.repo.list({
      tenantId,
      ...rest,
      ...(key ? { sourceTopic: this.producer.topicName(key) } : {}),
      limit: opts.limit,
      ...(opts.cursor ? { after: afterCursor(opts.cursor) } : {}),
    });
    return { data: rows.map((r) => this.view(r)), next_cursor: nextCursor(rows, opts.limit, (r) => [new Date(r.quarantined_at).toISOString(), r.id]) };
  }

  async get(tenantId: string | null, id: string): Promise<QuarantinedDetail> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no quarantined message ${id}`);
    return {
      ...this.view(row),
      details: parseJson(row.details),
      key: bytesView(row.message_key),
      value: bytesView(row.value),
      headers: row.headers.map(([name, value]) => ({ name: bytesView(Buffer.from(name, 'base64')), value: bytesView(Buffer.from(value, 'base64')) })),
      source_timestamp: row.source_timestamp ? new Date(row.source_timestamp).toISOString() : null,
    };
  }

  /**
   * Produces the original key, value and headers back to the source topic, once: a message
   * already re-driven answers `created: false` and sends nothing. The row stays locked while the
   * broker acknowledges, so two concurrent requests send it once.
   */
  async redrive(tenantId: string | null, id: string, principal: Principal): Promise<QuarantineRedrive> {
    const known = await this.repo.get(tenantId, id);
    if (!known) throw new DomainError('not_found', `no quarantined message ${id}`);
    if (!this.sources.has(known.source_topic)) {
      throw new DomainError('conflict', 'this message does not name a topic of this environment to re-drive it to', { source_topic: known.source_topic });
    }
    try {
      return await this.db.transaction(async (em) => {
        const row = (await this.repo.get(tenantId, id, em, true)) as StoredQuarantineDetail;
        if (row.status === 'redriven') return { ...this.view(row), created: false };
        // Marked first, sent last: if the broker refuses, the transaction rolls the mark back.
        const updated = await this.repo.markRedriven(em, row, principal.keyId);
        await this.producer.sendRaw(row.source_topic, [{ key: row.message_key, value: row.value, headers: originalHeaders(row.headers) }]);
        this.logger.info({ quarantined: id, topic: row.source_topic, by: principal.keyId, code: row.code }, 'quarantined message re-driven');
        return { ...this.view(updated), created: true };
      });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      this.logger.error({ err, quarantined: id }, 'quarantined message could not be re-driven');
      throw new DomainError('unavailable', 'the message could not be re-driven (Kafka or Postgres unavailable); try again');
    }
  }

  private view(r: StoredQuarantine): QuarantinedView {
    return {
      id: r.id,
      tenant_id: r.tenant_id,
      code: r.code,
      reason: r.reason,
      source: { topic: this.sources.get(r.source_topic) ?? r.source_topic, partition: r.source_partition, offset: r.source_offset },
      consumer_group: r.consumer_group,
      quarantined_at: new Date(r.quarantined_at).toISOString(),
      status: r.status,
      redriven_at: r.redriven_at ? new Date(r.redriven_at).toISOString() : null,
      redriven_by: r.redriven_by,
      redrive_count: r.redrive_count,
      value_bytes: r.value_bytes,
    };
  }
}

/** The stored [name, value] pairs (base64), decoded; a repeated name keeps all its values in order. */
function originalHeaders(pairs: Array<[string, string]>): Array<[string, Buffer]> {
  return pairs.map(([name, value]) => [Buffer.from(name, 'base64').toString('utf8'), Buffer.from(value, 'base64')]);
}

/** Text when the bytes are valid UTF-8 without control characters, base64 otherwise. */
export function bytesView(b: Buffer | null): BytesView {
  if (b === null) return null;
  const text = b.toString('utf8');
  // eslint-disable-next-line no-control-regex
  const printable = Buffer.from(text, 'utf8').equals(b) && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
  return printable ? { encoding: 'utf8', data: text } : { encoding: 'base64', data: b.toString('base64') };
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function afterCursor(cursor: string): { at: string; id: string } {
  const [at = '', id = ''] = decodeCursor(cursor, ['timestamp', 'uuid']);
  return { at, id };
}
