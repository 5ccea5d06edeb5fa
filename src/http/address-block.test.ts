import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressBlock } from './address-block.ts';

test('IPv6 addresses count by their /64, written one way however they were written', () => {
  assert.equal(addressBlock('2001:db8:7:9::1'), '2001:db8:7:9::/64');
  assert.equal(addressBlock('2001:0DB8:0007:0009:ffff:1:2:3'), '2001:db8:7:9::/64');
  assert.equal(addressBlock('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressBlock('::1'), '0:0:0:0::/64');
  assert.equal(addressBlock('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.notEqual(addressBlock('2001:db8:7:a::1'), addressBlock('2001:db8:7:9::1'));
});

test('IPv4 and IPv4-mapped addresses count as themselves; anything else is passed through', () => {
  assert.equal(addressBlock('203.0.113.7'), '203.0.113.7');
  assert.equal(addressBlock('::ffff:203.0.113.7'), '203.0.113.7');
  assert.equal(addressBlock('not an address'), 'not an address');
});
