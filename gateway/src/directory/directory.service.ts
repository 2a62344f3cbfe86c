import { createUserDirectory, type UserDirectory, type UserDirectoryOptions } from '@kapocs/kit';

/** The gateway's user directory is the kit's (packages/kit/src/directory), shared with the services. */
export type Directory = UserDirectory;

/** The directory from Keycloak or from `load` (tests); a load failure with nothing cached is a 502 problem. */
export const createDirectory = (opts: UserDirectoryOptions): Directory => createUserDirectory(opts);
