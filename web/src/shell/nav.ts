import { Roles, type Role } from '@kapocs/contracts';
import type { MessageKey } from '@/i18n/hu';

export type NavItemKey =
  | 'companies' | 'persons' | 'companyGroups' | 'duplicates'
  | 'activityList' | 'calendar'
  | 'opportunities' | 'projects' | 'products'
  | 'segments' | 'campaigns' | 'events'
  | 'documents'
  | 'dashboard' | 'contactMonitor' | 'targets'
  | 'search'
  | 'customFields' | 'import';

export interface NavItem {
  key: NavItemKey;
  href: string;
  /** FEATURES.md ids the page will cover. */
  features: string[];
  /** Shown only to users with one of these roles (others get a 403 message on the page). */
  roles?: Role[];
}

export interface NavSection {
  key: 'partners' | 'activities' | 'sales' | 'marketing' | 'documents' | 'reports' | 'search' | 'admin';
  items: NavItem[];
}

/** Every area of FEATURES.md, in the order the navigation shows them. */
export const navSections: NavSection[] = [
  {
    key: 'partners',
    items: [
      { key: 'companies', href: '/companies', features: ['P1', 'P4'] },
      { key: 'persons', href: '/persons', features: ['P3', 'P4'] },
      { key: 'companyGroups', href: '/company-groups', features: ['P2'] },
      { key: 'duplicates', href: '/duplicates', features: ['P8'] },
    ],
  },
  {
    key: 'activities',
    items: [
      { key: 'activityList', href: '/activities', features: ['A1', 'A2', 'A3', 'A8', 'A11'] },
      { key: 'calendar', href: '/calendar', features: ['A4', 'A5', 'A6', 'A7'] },
    ],
  },
  {
    key: 'sales',
    items: [
      { key: 'opportunities', href: '/opportunities', features: ['S3', 'S4', 'S5', 'S6', 'S7'] },
      { key: 'projects', href: '/projects', features: ['S2'] },
      { key: 'products', href: '/products', features: ['S1'] },
    ],
  },
  {
    key: 'marketing',
    items: [
      { key: 'segments', href: '/segments', features: ['M1'] },
      { key: 'campaigns', href: '/campaigns', features: ['M2', 'M3', 'M4'] },
      { key: 'events', href: '/events', features: ['M5', 'M6', 'M7', 'M8'] },
    ],
  },
  { key: 'documents', items: [{ key: 'documents', href: '/documents', features: ['D1', 'D2'] }] },
  {
    key: 'reports',
    items: [
      { key: 'dashboard', href: '/dashboard', features: ['R1'] },
      { key: 'contactMonitor', href: '/contact-monitor', features: ['R2'] },
      { key: 'targets', href: '/targets', features: ['R3', 'R4', 'R5'] },
    ],
  },
  { key: 'search', items: [{ key: 'search', href: '/search', features: ['R6'] }] },
  {
    key: 'admin',
    items: [
      { key: 'customFields', href: '/admin/custom-fields', features: ['P5'], roles: [Roles.admin] },
      { key: 'import', href: '/admin/import', features: ['P6'] },
    ],
  },
];

export const navLabel = (key: NavItemKey): MessageKey => `nav.${key}`;
export const sectionLabel = (key: NavSection['key']): MessageKey => `nav.section.${key}`;

export function findNavItem(key: NavItemKey): NavItem {
  for (const section of navSections) {
    const item = section.items.find((i) => i.key === key);
    if (item) return item;
  }
  throw new Error(`unknown nav item ${key}`);
}
