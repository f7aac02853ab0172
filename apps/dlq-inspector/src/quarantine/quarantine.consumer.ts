import { QUARANTINE_TOPICS, type QuarantinedTopicKey } from '@hookstream/contracts';
import { type BatchHandler, type ConsumedMessage, type RawMessage, TopicConsumer } from '@hookstream/kafka';
import { Inject, type Type } from '@nestjs/common';
import { readQuarantineRecord } from './quarantine-record.js';
import { QuarantineRepository } from './quarantine.repository.js';

/** The quarantine topics the dlq-inspector stores, one per consumed topic. */
export const QUARANTINE_TOPIC_KEYS = Object.values(QUARANTINE_TOPICS);

/**
 * A consumer class per quarantine topic (the host runs one class per topic, each in a group of
 * its own): each stores what its topic carries into quarantined_messages, bytes untouched.
 */
function quarantineConsumer(topic: (typeof QUARANTINE_TOPICS)[QuarantinedTopicKey]): Type<BatchHandler<RawMessage>> {
  @TopicConsumer({ topic, groupId: `dlq-inspector-quarantine-${topic}`, schema: 'raw' })
  class QuarantineConsumer implements BatchHandler<RawMessage> {
    constructor(@Inject(QuarantineRepository) private readonly repo: QuarantineRepository) {}

    async handleBatch(messages: ConsumedMessage<RawMessage>[]): Promise<void> {
      const now = new Date();
      await this.repo.insert(messages.map((m) => readQuarantineRecord(m.topic, m.partition, m.offset, m.value, now)));
    }
  }
  Object.defineProperty(QuarantineConsumer, 'name', { value: `QuarantineConsumer(${topic})` });
  return QuarantineConsumer;
}

export const QUARANTINE_CONSUMERS = QUARANTINE_TOPIC_KEYS.map(quarantineConsumer);
