export * from './keycloak-admin';
export * from './keycloak-loader';
export * from './user-directory';
