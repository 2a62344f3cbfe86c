import { forbidden } from '@kapocs/kit';

export const cannotAssignOwnerOf = (what: string) =>
  forbidden(`Only managers, directors and admins may make someone else the owner of a ${what}, and a manager only within their departments.`);
export const cannotReassign = () => forbidden('Only managers (within their departments), directors and admins may reassign owners.');
