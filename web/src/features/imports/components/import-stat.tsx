import { Card, Text } from '@mantine/core';

/** One count of an import's report, under its label. */
export function ImportStat({ label, value, testId, color }: { label: string; value: number | string | undefined; testId: string; color?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700} c={color} data-testid={testId}>
        {value ?? '—'}
      </Text>
    </Card>
  );
}
