import { Code, SimpleGrid, Text, Title } from '@mantine/core';
import type { GetJson } from '../../api-types.ts';
import { showDuration } from '../../format.ts';
import { batchText } from '../../batch-text.ts';
import { orderingText } from '../../ordering-text.ts';
import { retryScheduleText } from '../../retry-schedule.ts';
import { Field } from '../../components/field.tsx';

type Subscription = GetJson<'/v1/subscriptions/{id}'>;

/** How the subscription delivers, read-only here (the API and CLI change these): retries, limits, signing, order, batching, filters. */
export function DeliverySettings({ s }: { s: Subscription }) {
  return (
    <>
      <Title order={2} size="h4">
        Delivery
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Field label="Retries" value={<Text size="sm">{retryScheduleText(s.retry_policy)}</Text>} />
        <Field label="Timeout per attempt" value={<Text size="sm">{showDuration(s.timeout_ms)}</Text>} />
        <Field label="Rate limit" value={<Text size="sm">{s.rate_limit_per_second ? `${String(s.rate_limit_per_second)} per second` : 'none'}</Text>} />
        <Field label="Concurrency" value={<Text size="sm">{s.max_concurrency ? `at most ${String(s.max_concurrency)} at once` : 'no limit of its own'}</Text>} />
        <Field label="Signature" value={<Text size="sm">{s.signature_scheme}{s.signature_header ? ` in ${s.signature_header}` : ''}</Text>} />
        <Field label="Endpoint authentication" value={<Text size="sm">{s.auth ? s.auth.type : 'none'}</Text>} />
        <Field label="Order" value={<Text size="sm">{orderingText(s)}</Text>} />
        <Field label="Batching" value={<Text size="sm">{batchText(s.batch)}</Text>} />
        <Field label="Egress proxy" value={<Text size="sm">{s.egress_proxy ?? 'direct'}</Text>} />
        <Field label="Excluded event types" value={<Text size="sm">{s.excluded_event_types.length ? s.excluded_event_types.join(', ') : 'none'}</Text>} />
      </SimpleGrid>
      <Field
        label="Payload filter"
        value={
          s.filter ? (
            <Code block aria-label="Payload filter" tabIndex={0}>
              {JSON.stringify(s.filter, null, 2)}
            </Code>
          ) : (
            <Text size="sm">none: every event of its types</Text>
          )
        }
      />
    </>
  );
}
