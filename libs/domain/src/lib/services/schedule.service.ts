import { DomainError, DomainErrorCode } from '../errors';

/**
 * A batch's start time and deadline as they will be stored (issue 20 item 4). `deadlineSet`: the
 * deadline is new in this call, so it must lie in the future (an old one that passed may stay
 * while the batch is renamed). A deadline is always after the start time. VALIDATION (400) names
 * the field.
 */
export function checkSchedule(now: Date, notBefore: Date | undefined, deadline: Date | undefined, deadlineSet = deadline !== undefined): void {
  const fieldErrors: Record<string, string[]> = Object.create(null);
  if (deadline && deadlineSet && deadline.getTime() <= now.getTime()) fieldErrors['deadline'] = ['Must lie in the future'];
  else if (deadline && notBefore && deadline.getTime() <= notBefore.getTime()) fieldErrors['deadline'] = ['Must be after not_before'];
  const fields = Object.keys(fieldErrors);
  if (fields.length > 0) throw new DomainError(DomainErrorCode.VALIDATION, `Invalid input: ${fields.join(', ')}`, { fieldErrors, formErrors: [] });
}
