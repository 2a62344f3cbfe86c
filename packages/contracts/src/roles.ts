/** Realm roles of the `crm` Keycloak realm. */
export const Roles = {
  admin: 'crm-admin',
  director: 'crm-director',
  manager: 'crm-manager',
  sales: 'crm-sales',
  marketing: 'crm-marketing',
} as const;

/** One of the realm roles Kapocs knows. */
export type Role = (typeof Roles)[keyof typeof Roles];

/** Keycloak group path prefix under which departments live. */
export const DEPARTMENT_GROUP_PREFIX = '/departments/';
