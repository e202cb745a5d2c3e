import { z } from 'zod';
import { idParam } from '../../http/schemas.ts';
import type { StaffUser } from '../accounts/staff-auth.ts';
import { assertInstitution, institutionFilter } from '../accounts/scope.ts';

/** `?institutionId=`: the operator may narrow a list to one institution; others only name their own. */
export const institutionQuery = z.object({ institutionId: idParam.optional() });

/** The institution a list is limited to (null: all, operator only); 404 for an institution out of scope. */
export function listInstitution(staff: StaffUser, asked: string | undefined): string | null {
  if (asked) {
    assertInstitution(staff, asked);
    return asked;
  }
  return institutionFilter(staff);
}
