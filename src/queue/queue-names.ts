/** Every queue cutover runs, with the payload each job on it carries (ids, never objects). */
export const QUEUES = {
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  'imports.reap-stalled': { staleAfterSeconds: number };
}

export type JobName = keyof JobPayloads;

/** Which queue each job is sent to. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  'imports.reap-stalled': QUEUES.maintenance,
};
