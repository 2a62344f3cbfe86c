'use client';

import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useI18n } from '@/i18n/i18n-provider';

export interface RemoteOption {
  value: string;
  label: string;
}

interface Props {
  /** Identifies the searched list in the query cache (e.g. `companies`). */
  cacheKey: string;
  /** Answers the options matching a search text (the server searches; nothing is filtered here). */
  search: (q: string, signal: AbortSignal) => Promise<RemoteOption[]>;
  value: string | null;
  onChange: (value: string | null, option: RemoteOption | null) => void;
  /** The label of the current value, when it may not be among the options found. */
  selectedLabel?: string | null;
  label?: ReactNode;
  description?: ReactNode;
  placeholder?: string;
  error?: ReactNode;
  required?: boolean;
  clearable?: boolean;
  disabled?: boolean;
  testId?: string;
  w?: number | string;
}

/** A searchable select whose options come from the gateway as the user types. */
export function RemoteSelect({ cacheKey, search, value, onChange, selectedLabel, testId, required, ...rest }: Props) {
  const { t } = useI18n();
  const [searchValue, setSearchValue] = useState('');
  const [picked, setPicked] = useState<RemoteOption | null>(null);
  const [debounced] = useDebouncedValue(searchValue, 250);
  // Once an option is chosen the box shows its label; that is not a new search.
  const term = picked && debounced === picked.label ? '' : debounced.trim();
  const query = useQuery({
    queryKey: ['remote-select', cacheKey, term],
    queryFn: ({ signal }) => search(term, signal),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });

  const data = useMemo(() => {
    const options = [...(query.data ?? [])];
    const current =
      value && !options.some((o) => o.value === value)
        ? picked?.value === value
          ? picked
          : { value, label: selectedLabel ?? value }
        : null;
    if (current) options.unshift(current);
    return options;
  }, [query.data, value, picked, selectedLabel]);

  return (
    <Select
      {...rest}
      withAsterisk={required}
      data={data}
      value={value}
      onChange={(v, option) => {
        const chosen = option ? { value: option.value, label: option.label } : null;
        setPicked(chosen);
        onChange(v, chosen);
      }}
      searchable
      searchValue={searchValue}
      onSearchChange={setSearchValue}
      filter={({ options }) => options}
      nothingFoundMessage={query.isFetching ? t('app.loading') : t('picker.nothingFound')}
      data-testid={testId}
    />
  );
}
