import { checkNewPassword, PASSWORD_MAX } from '../identity/check-new-password.ts';

/** Staff hold the keys to every user's migration, so their floor is higher than end users' 8. */
export const STAFF_PASSWORD_MIN = 12;
export const STAFF_PASSWORD_MAX = PASSWORD_MAX;

/** Why a staff password is refused, or null when it is acceptable (see checkNewPassword). */
export function checkStaffPassword(password: string, email: string): string | null {
  return checkNewPassword(password, email, STAFF_PASSWORD_MIN);
}
