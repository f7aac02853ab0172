import { describe, expect, it } from '@jest/globals';
import { ConsumerHost, ConsumerWiringError } from './consumer-host.service.js';

describe('ConsumerHost.checkWiring', () => {
  it('accepts exactly one consumer class per declared topic', () => {
    expect(() =>
      ConsumerHost.checkWiring(['events', 'deliveries'], [
        { topic: 'events', name: 'FanoutConsumer' },
        { topic: 'deliveries', name: 'SendConsumer' },
      ]),
    ).not.toThrow();
  });

  it('stops boot when a declared topic has no consumer', () => {
    expect(() => ConsumerHost.checkWiring(['events', 'deliveries'], [{ topic: 'events', name: 'FanoutConsumer' }])).toThrow(
      /hookstream\.deliveries has no consumer class/,
    );
  });

  it('stops boot when a topic has two consumers, naming both', () => {
    expect(() =>
      ConsumerHost.checkWiring(['events'], [
        { topic: 'events', name: 'FanoutConsumer' },
        { topic: 'events', name: 'OtherConsumer' },
      ]),
    ).toThrow(/hookstream\.events has 2 consumer classes: FanoutConsumer, OtherConsumer/);
  });

  it('stops boot when a consumer reads a topic the service does not declare', () => {
    expect(() => ConsumerHost.checkWiring([], [{ topic: 'dlq', name: 'DlqConsumer' }])).toThrow(ConsumerWiringError);
  });
});
