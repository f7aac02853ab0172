import { QUARANTINE_HEADERS } from '@hookstream/contracts';
import type { Logger, Metrics } from '@hookstream/platform';
import type { RawMessage } from './raw-message.js';
import type { BatchSettler } from './batch-settler.js';
import { classifyFailure } from './failure-class.js';
import type { KafkaProducer } from './producer.service.js';
import { type Poison, quarantineRecord, type QuarantineSource } from './quarantine-record.js';

/**
 * Publishes a batch's poison to its topic's quarantine topic and resolves once the broker has
 * acknowledged every record, so the consumer commits past them only when nothing would be lost.
 */
export class Quarantiner {
  private readonly quarantined;

  constructor(
    private readonly producer: KafkaProducer,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.quarantined = metrics.counter('hookstream_kafka_messages_quarantined_total', 'Messages taken out of their partition because their content cannot be processed', ['topic', 'reason']);
  }

  async quarantine(poison: readonly Poison[], source: QuarantineSource, target: string | null, settler: BatchSettler): Promise<void> {
    if (poison.length === 0) return;
    const now = new Date();
    if (target === null) {
      // A quarantine topic's own consumer: there is nowhere further to put a message it cannot store.
      for (const p of poison) this.logger.error({ topic: source.topic, partition: p.partition, offset: p.message.offset, code: p.code, reason: p.reason }, 'message of a quarantine topic cannot be stored; skipped');
    } else {
      await this.publish(target, poison.map((p) => quarantineRecord(p, source, now)), settler);
      this.logger.warn(
        { topic: source.topic, target, messages: poison.map((p) => ({ partition: p.partition, offset: p.message.offset, code: p.code, reason: p.reason.slice(0, 200) })) },
        'quarantined poison messages',
      );
    }
    for (const p of poison) this.quarantined.inc({ topic: source.topic, reason: p.code });
  }

  /** Retries in place while Kafka is unavailable; a record the broker refuses (too large for the topic) goes without its value. */
  private async publish(target: string, records: RawMessage[], settler: BatchSettler): Promise<void> {
    for (;;) {
      try {
        await this.producer.sendRaw(target, records);
        return;
      } catch (err) {
        const failure = classifyFailure(err);
        if (failure.kind === 'transient') {
          await settler.wait(failure);
          continue;
        }
        if (records.length > 1) {
          for (const r of records) await this.publish(target, [r], settler);
          return;
        }
        const [record] = records;
        if (!record || record.value === null) throw err;
        this.logger.error({ target, code: failure.code, bytes: record.value?.length }, 'the quarantine topic refuses this message; quarantining it without its value');
        const details = JSON.stringify({ value_dropped: true, value_bytes: record.value?.length ?? 0, produce_error: failure.message });
        const headers: Array<[string, Buffer]> = [...record.headers.filter(([name]) => name !== QUARANTINE_HEADERS.details), [QUARANTINE_HEADERS.details, Buffer.from(details)]];
        records = [{ ...record, value: null, headers }];
      }
    }
  }
}
