import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { chartPoints, type HealthPoint } from '../health-points.ts';

/**
 * Success rate and latency (p50, p95) of an endpoint over the last hour (a point a minute) or
 * day (a point an hour), drawn by Mantine's charts (Recharts). A quiet bucket has no rate and no
 * latency: a gap, not a zero.
 */
export function HealthCharts({ minutes, hours }: { minutes: readonly HealthPoint[]; hours: readonly HealthPoint[] }) {
  const [span, setSpan] = useState<'hour' | 'day'>('hour');
  const data = chartPoints(span === 'hour' ? minutes : hours);
  return (
    <Stack gap="xs">
      <SegmentedControl
        w="fit-content"
        value={span}
        onChange={(v) => setSpan(v === 'day' ? 'day' : 'hour')}
        data={[
          { label: 'Last hour', value: 'hour' },
          { label: 'Last day', value: 'day' },
        ]}
        aria-label="Chart span"
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <div role="img" aria-label={`Success rate over the last ${span}`}>
          <Text size="sm" fw={600} mb={4}>
            Success rate (%)
          </Text>
          <LineChart h={200} data={data} dataKey="time" series={[{ name: 'success', label: 'success %', color: 'green.8' }]} yAxisProps={{ domain: [0, 100] }} connectNulls={false} dotProps={{ r: 2 }} curveType="linear" />
        </div>
        <div role="img" aria-label={`Latency p50 and p95 over the last ${span}`}>
          <Text size="sm" fw={600} mb={4}>
            Latency (ms)
          </Text>
          <LineChart
            h={200}
            data={data}
            dataKey="time"
            series={[
              { name: 'p50', label: 'p50', color: 'blue.8' },
              { name: 'p95', label: 'p95', color: 'orange.9' },
            ]}
            connectNulls={false}
            dotProps={{ r: 2 }}
            curveType="linear"
            withLegend
          />
        </div>
      </SimpleGrid>
    </Stack>
  );
}
