'use client';

import { AppShell, Burger, Button, Group, NavLink, ScrollArea, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useAuth } from '@/auth/auth-provider';
import { useMe } from '@/features/directory/hooks/use-directory';
import { LOCALES, useI18n, type Locale } from '@/i18n/i18n-provider';
import type { MessageKey } from '@/i18n/hu';
import { navLabel, navSections, sectionLabel } from './nav';

const KNOWN_ROLES = ['crm-admin', 'crm-director', 'crm-manager', 'crm-sales', 'crm-marketing'] as const;

function UserBadge() {
  const { t } = useI18n();
  const { username } = useAuth();
  const me = useMe();
  const roles = (me.data?.roles ?? []).filter((r): r is (typeof KNOWN_ROLES)[number] =>
    (KNOWN_ROLES as readonly string[]).includes(r),
  );
  const roleText = me.data ? (roles.length ? roles.map((r) => t(`role.${r}` as MessageKey)).join(', ') : t('role.none')) : '';
  return (
    <Stack gap={0} align="flex-end" aria-label={t('header.user')}>
      <Text size="sm" fw={600} data-testid="user-name">
        {me.data?.name ?? username ?? ''}
      </Text>
      <Text size="xs" c="dimmed" data-testid="user-role">
        {roleText}
      </Text>
    </Stack>
  );
}

export function PortalShell({ children }: { children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const { logout } = useAuth();
  const pathname = usePathname();
  const [opened, { toggle, close }] = useDisclosure();
  const isActive = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const me = useMe();
  // items for certain roles appear once /api/me has said the user has one
  const sections = navSections
    .map((s) => ({ ...s, items: s.items.filter((i) => !i.roles || i.roles.some((r) => me.data?.roles.includes(r))) }))
    .filter((s) => s.items.length > 0);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('header.toggleNavigation')} />
            <Title order={3}>{t('app.name')}</Title>
          </Group>
          <Group wrap="nowrap">
            <UserBadge />
            <SegmentedControl
              size="xs"
              aria-label={t('header.language')}
              value={locale}
              onChange={(v) => setLocale(v as Locale)}
              data={LOCALES.map((l) => ({ value: l, label: l.toUpperCase() }))}
              data-testid="language-switch"
            />
            <Button variant="default" size="xs" onClick={logout} data-testid="sign-out">
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label={t('app.name')}>
            {sections.map((section) =>
              section.items.length === 1 && section.items[0] ? (
                <NavLink
                  key={section.key}
                  component={Link}
                  href={section.items[0].href}
                  label={t(sectionLabel(section.key))}
                  active={isActive(section.items[0].href)}
                  onClick={close}
                  data-testid={`nav-${section.items[0].key}`}
                />
              ) : (
                <NavLink
                  key={section.key}
                  label={t(sectionLabel(section.key))}
                  defaultOpened={section.items.some((i) => isActive(i.href)) || section.key === 'partners'}
                  childrenOffset="md"
                >
                  {section.items.map((item) => (
                    <NavLink
                      key={item.key}
                      component={Link}
                      href={item.href}
                      label={t(navLabel(item))}
                      active={isActive(item.href)}
                      onClick={close}
                      data-testid={`nav-${item.key}`}
                    />
                  ))}
                </NavLink>
              ),
            )}
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
