#!/usr/bin/env perl
# Prints the forum lines of test/fixtures/hashes/web-and-db.jsonl (run web-and-db.sh): each hash is made by the
# module_generate_hash of hashcat's own test suite (tools/test_modules/mNNNNN.pm, given as $ARGV[0]), for the
# passwords as UTF-8 bytes and fixed salts shaped as each forum makes them, and checked with module_verify_hash's
# parser (the "hash:salt" split). Only core modules: Digest::MD5, Encode, JSON::PP.
use strict;
use warnings;
use utf8;
use Encode qw(encode);
use JSON::PP;

my $test_modules = shift or die "usage: $0 HASHCAT/tools/test_modules\n";
my $json = JSON::PP->new->canonical->utf8;
my @passwords = ('pässwörd ✓', 'correct horse battery staple', 'p@ss$word:1', '密码🔑');

# mode => [format, what the software calls it, salts as that software makes them, separate salt column?]
my @modes = (
  ['00011', 'joomla-md5', 'Joomla < 2.5.18', ['bmDKwg8xOJYTQHcMDfC2vvPAT5Pfx0a6', 'L3FTLaKLEPTwr0Kzky1JCyqpEH3uKR5N'], 0],
  ['02611', 'vbulletin', 'vBulletin < 3.8.5', ['k#2', 'a:b', '~%Q'], 0],
  ['02711', 'vbulletin', 'vBulletin >= 3.8.5', ['N5a}q-iD?#b]RSzG3R*T/ui|cVb8m5'], 0],
  ['02811', 'mybb', 'MyBB 1.2+', ['Vb7kQ2pZ', 'yA0cL3Xe'], 0],
  ['02811', 'ipb', 'IPB2+, members_pass_hash and members_pass_salt', ['x;7:}', 'q$W!a'], 1],
);

for my $mode (@modes) {
  my ($number, $format, $name, $salts, $separate) = @$mode;
  my $file = "$test_modules/m$number.pm";
  my $generate = do {
    package Hashcat;
    local $SIG{__WARN__} = sub { warn @_ unless $_[0] =~ /redefined/ }; # each module defines the same subs
    do $file or die "cannot load $file: $@ $!";
    \&Hashcat::module_generate_hash;
  };
  for my $i (0 .. $#passwords) {
    my $password = $passwords[$i];
    my $salt = $salts->[$i % @$salts];
    my $line = $generate->(encode('UTF-8', $password), $salt);
    my ($digest, $line_salt) = split /:/, $line, 2;
    die "salt did not survive: $line" unless $line_salt eq $salt && $digest =~ /\A[0-9a-f]{32}\z/;
    my %row = (format => $format, scheme => $format, password => $password, password_hash_format => $format,
      tool => "hashcat tools/test_modules/m$number.pm module_generate_hash ($name)");
    if ($separate) { $row{password_hash} = $digest; $row{password_hash_salt} = $salt; }
    else { $row{password_hash} = $line; }
    print $json->encode(\%row), "\n";
  }
}
