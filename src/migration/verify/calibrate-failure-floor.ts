import { verifyDummyPassword } from '../../identity/argon2id-password.ts';

/**
 * Measures one argon2id verification on this machine (median of three) and sets the failure floor a little above
 * it: a wrong password, an unknown login and a reset-path user then all answer after about the same time.
 */
export async function calibrateFailureFloor(): Promise<number> {
  await verifyDummyPassword('warm-up');
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await verifyDummyPassword(`calibration-${i}`);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return Math.ceil(samples[1]! * 1.5 + 5);
}
