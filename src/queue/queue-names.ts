/** Every queue cutover runs, with the payload each job on it carries (ids, never objects). */
export const QUEUES = {
  maintenance: 'maintenance',
  send: 'send',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'imports.reap-stalled': { staleAfterSeconds: number };
  /** Sends the mail an invitation is waiting for: "invitation" or "reminder_<n>". */
  'invitations.send': { invitationId: string; mail: string };
  'invitations.expire': Record<string, never>;
  /** The "you set up a new sign-in" notice after an invitation ends enrolled. */
  'enrolment.confirm': { invitationId: string };
  /** Deletes audit entries past AUDIT_RETENTION_DAYS. */
  'audit.prune': Record<string, never>;
  /** Deletes expired rows of the short-lived store when it is on PostgreSQL. */
  'short-lived.sweep': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** Which queue each job is sent to. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'imports.reap-stalled': QUEUES.maintenance,
  'invitations.send': QUEUES.send,
  'invitations.expire': QUEUES.maintenance,
  'enrolment.confirm': QUEUES.send,
  'audit.prune': QUEUES.maintenance,
  'short-lived.sweep': QUEUES.maintenance,
};
