import { Roles, SERVICES, type Role, type ServiceEntry } from '@kapocs/contracts';
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
  /** A page's key (`NavItemKey`), or a listed service's name for its placeholder page. */
  key: NavItemKey | string;
  href: string;
  /** FEATURES.md ids the page will cover. */
  features: string[];
  /** Shown only to users with one of these roles (others get a 403 message on the page). */
  roles?: Role[];
  /** The catalogue key of its label, when it is not `nav.<key>`. */
  label?: MessageKey;
}

export interface NavSection {
  /** A service's `nav` in packages/contracts/src/services.json, or one of the portal's own (search, admin). */
  key: string;
  items: NavItem[];
}

/** The pages of each service's navigation section, by the section key the service list gives. */
const servicePages: Record<string, NavItem[]> = {
  partners: [
    { key: 'companies', href: '/companies', features: ['P1', 'P4'] },
    { key: 'persons', href: '/persons', features: ['P3', 'P4'] },
    { key: 'companyGroups', href: '/company-groups', features: ['P2'] },
    { key: 'duplicates', href: '/duplicates', features: ['P8'] },
  ],
  activities: [
    { key: 'activityList', href: '/activities', features: ['A1', 'A2', 'A3', 'A8', 'A11'] },
    { key: 'calendar', href: '/calendar', features: ['A4', 'A5', 'A6', 'A7'] },
  ],
  sales: [
    { key: 'opportunities', href: '/opportunities', features: ['S3', 'S4', 'S5', 'S6', 'S7'] },
    { key: 'projects', href: '/projects', features: ['S2'] },
    { key: 'products', href: '/products', features: ['S1'] },
  ],
  marketing: [
    { key: 'segments', href: '/segments', features: ['M1'] },
    { key: 'campaigns', href: '/campaigns', features: ['M2', 'M3', 'M4'] },
    { key: 'events', href: '/events', features: ['M5', 'M6', 'M7', 'M8'] },
  ],
  documents: [{ key: 'documents', href: '/documents', features: ['D1', 'D2'] }],
  reports: [
    { key: 'dashboard', href: '/dashboard', features: ['R1'] },
    { key: 'contactMonitor', href: '/contact-monitor', features: ['R2'] },
    { key: 'targets', href: '/targets', features: ['R3', 'R4', 'R5'] },
  ],
};

/** The portal's own sections, after the services'. */
const portalSections: NavSection[] = [
  { key: 'search', items: [{ key: 'search', href: '/search', features: ['R6'] }] },
  {
    key: 'admin',
    items: [
      { key: 'customFields', href: '/admin/custom-fields', features: ['P5'], roles: [Roles.admin] },
      { key: 'import', href: '/admin/import', features: ['P6'] },
    ],
  },
];

/**
 * A listed service whose section has no page yet: one item, its placeholder page `/<name>` (web/app/[area]),
 * labelled with the section's name.
 */
export const placeholderItem = (service: ServiceEntry): NavItem => ({
  key: service.name,
  href: `/${service.name}`,
  features: [],
  label: sectionLabel(service.nav),
});

/**
 * Every area of FEATURES.md, in the order the navigation shows them: a section per service of the list (in its
 * order, services sharing a `nav` in one), then search and administration.
 */
export const navSections: NavSection[] = [
  ...[...new Set(SERVICES.map((s) => s.nav))].map((key) => ({
    key,
    items: servicePages[key] ?? SERVICES.filter((s) => s.nav === key).map(placeholderItem),
  })),
  ...portalSections,
];

/** The services whose section has no page yet: each has a placeholder page at `/<name>`. */
export const placeholderServices = SERVICES.filter((s) => !servicePages[s.nav]).map((s) => s.name);

export function navLabel(item: NavItem): MessageKey {
  return item.label ?? (`nav.${item.key}` as MessageKey);
}
export function sectionLabel(key: NavSection['key']): MessageKey {
  return `nav.section.${key}` as MessageKey;
}

export function findNavItem(key: NavItem['key']): NavItem {
  for (const section of navSections) {
    const item = section.items.find((i) => i.key === key);
    if (item) return item;
  }
  throw new Error(`unknown nav item ${key}`);
}
