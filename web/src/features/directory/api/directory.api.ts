import type { ApiClient } from '@/api/client';

/** The signed-in user as the gateway sees them (`GET /api/me`). */
export interface Me {
  id: string;
  username: string;
  name: string;
  roles: string[];
  departments: string[];
}

/** A user of the directory (`GET /api/directory/users`). */
export interface DirectoryUser {
  id: string;
  username: string;
  name: string;
  email?: string;
  roles: string[];
  departments: string[];
}

export const fetchMe = (api: ApiClient, signal?: AbortSignal) => api.get<Me>('/me', undefined, signal);

export const fetchDirectoryUsers = async (api: ApiClient, signal?: AbortSignal) =>
  (await api.get<{ items: DirectoryUser[] }>('/directory/users', undefined, signal)).items;
