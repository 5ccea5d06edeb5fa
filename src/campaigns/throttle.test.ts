import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStaffed, localClock, staffedMinutesOfDay } from './staffed-hours.ts';
import { explainThrottle, learnContactRate, sendRatePerHour } from './send-rate.ts';
import { estimateFinish, forecastSending } from './forecast-sending.ts';
import type { Helpdesk } from './campaign-types.ts';

const desk: Helpdesk = { capacity_per_hour: 20, contact_rate: 0.05, timezone: 'Europe/London', hours: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] };

describe('staffed hours', () => {
  test('reads the local clock in the help desk time zone, across daylight saving', () => {
    assert.deepEqual(localClock('Europe/London', new Date('2026-07-06T08:30:00Z')), { day: 1, time: '09:30' }); // BST, Monday
    assert.deepEqual(localClock('Europe/London', new Date('2026-12-07T08:30:00Z')), { day: 1, time: '08:30' }); // GMT
    assert.deepEqual(localClock('Asia/Tokyo', new Date('2026-12-06T23:30:00Z')), { day: 1, time: '08:30' });
  });

  test('start is inclusive, end exclusive, "24:00" is the end of the day, weekends closed', () => {
    assert.equal(isStaffed(desk, new Date('2026-12-07T09:00:00Z')), true);
    assert.equal(isStaffed(desk, new Date('2026-12-07T08:59:00Z')), false);
    assert.equal(isStaffed(desk, new Date('2026-12-07T16:59:00Z')), true);
    assert.equal(isStaffed(desk, new Date('2026-12-07T17:00:00Z')), false);
    assert.equal(isStaffed(desk, new Date('2026-12-05T12:00:00Z')), false); // Saturday
    const late = { ...desk, hours: [{ days: [6], start: '20:00', end: '24:00' }] };
    assert.equal(isStaffed(late, new Date('2026-12-05T23:59:00Z')), true);
    assert.equal(isStaffed(late, new Date('2026-12-06T00:00:00Z')), false);
  });

  test('overlapping periods count once', () => {
    const overlapping = { ...desk, hours: [{ days: [1], start: '09:00', end: '13:00' }, { days: [1], start: '12:00', end: '17:00' }] };
    assert.equal(staffedMinutesOfDay(overlapping, 1), 8 * 60);
    assert.equal(staffedMinutesOfDay(overlapping, 2), 0);
    assert.equal(staffedMinutesOfDay(desk, 1, 16 * 60), 60);
  });
});

describe('send rate', () => {
  test('capacity ÷ contact rate, capped by max_per_hour', () => {
    assert.equal(sendRatePerHour(desk, 0.05, null), 400);
    assert.equal(sendRatePerHour(desk, 0.05, 250), 250);
    assert.equal(sendRatePerHour(desk, 0.05, 1000), 400);
  });

  test('the contact rate is a Beta posterior that moves from the prior toward what is observed', () => {
    const prior = learnContactRate(0.05, 0, 0, 0);
    assert.equal(prior.effective, 0.05);
    assert.equal(prior.observed, null);
    const early = learnContactRate(0.05, 200, 20, 0); // observed 10% over as many invitations as the prior is worth
    assert.ok(Math.abs(early.effective - 0.075) < 1e-9);
    const late = learnContactRate(0.05, 20_000, 2_000, 0);
    assert.ok(Math.abs(late.effective - 0.1) < 0.001);
    assert.equal(sendRatePerHour(desk, late.effective, null), 200);
  });

  test('the throttle is explained in words', () => {
    assert.equal(explainThrottle(desk, learnContactRate(0.05, 0, 0, 0), 400, null), '20 tickets an hour at the expected 5% contact rate is 400 invitations an hour, in staffed hours');
    assert.equal(explainThrottle({ ...desk, capacity_per_hour: 1 }, learnContactRate(0.05, 0, 0, 0), 20, null), '1 ticket an hour at the expected 5% contact rate is 20 invitations an hour, in staffed hours');
  });
});

describe('forecast', () => {
  test('lays the remaining invitations over staffed days and finds the end', () => {
    const monday8 = new Date('2026-12-07T08:00:00Z');
    const { days, endDate } = forecastSending(desk, monday8, 5000, 400, 0.05);
    assert.equal(days[0]!.invitations, 3200); // 8 staffed hours at 400/h
    assert.equal(days[0]!.capacity, 160);
    assert.equal(days[0]!.expected_tickets, 160);
    assert.equal(days[1]!.invitations, 1800);
    assert.equal(endDate, '2026-12-08');
    const eta = estimateFinish(desk, monday8, 5000, 400)!;
    assert.equal(eta.toISOString(), '2026-12-08T13:30:00.000Z'); // 4.5 hours into Tuesday
  });
});
