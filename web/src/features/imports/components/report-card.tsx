'use client';

import { Card, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled card of an import's report, with an optional line of help under the title. */
export function ReportCard({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        {title}
      </Title>
      {help && (
        <Text size="sm" c="dimmed" mb="xs">
          {help}
        </Text>
      )}
      {children}
    </Card>
  );
}
