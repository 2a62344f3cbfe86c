/** A page of a list answer (API.md "Lists"). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

/** Most items one list call may return. */
export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

/** Money as it travels: amount in major units, ISO currency. */
export interface Money {
  amount: number;
  currency: string;
}
