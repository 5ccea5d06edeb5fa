<?php
// Prints JSON lines of bcrypt fixtures made by PHP 8.2 (bundled crypt_blowfish 1.3): password_hash() and crypt().
// Run through modern.sh, which gathers every generator's output into test/fixtures/hashes/modern.jsonl.

function line(string $tool, string $password, string $hash, array $extra = []): void {
    $row = ['format' => 'bcrypt', 'tool' => $tool];
    $row += preg_match('//u', $password) === 1 ? ['password' => $password] : ['password_hex' => bin2hex($password)];
    $row['password_hash'] = $hash;
    echo json_encode($row + $extra, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}

function check(bool $ok, string $what): void {
    if (!$ok) { fwrite(STDERR, "tool disagrees: $what\n"); exit(1); }
}

$php = 'php ' . PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
$salt = 'abcdefghijklmnopqrstuu';

foreach (['pässwörd ✓', 'correct horse battery staple', '', '🔑 clé'] as $pw) {
    $h = password_hash($pw, PASSWORD_BCRYPT, ['cost' => 4]);
    check(password_verify($pw, $h), $h);
    line("$php password_hash", $pw, $h);
}

// Every prefix with one salt: $2x$ (sign-extension bug) differs from $2y$ only when a byte has its high bit set.
foreach (['pässwörd ✓', 'plain ascii'] as $pw) {
    foreach (['2a', '2b', '2x', '2y'] as $minor) {
        $h = crypt($pw, "\$$minor\$05\$$salt");
        check(strlen($h) === 60 && password_verify($pw, $h), $h);
        line("$php crypt", $pw, $h);
    }
}

// The password is a C string: PHP's password_verify("abc\0xyz", hash of "abc") is true.
$h = password_hash('abc', PASSWORD_BCRYPT, ['cost' => 4]);
check(password_verify("abc\0xyz", $h), 'NUL twin');
line("$php password_hash", 'abc', $h, ['equivalent_password' => "abc\0xyz"]);

// One at PHP's default cost of 10, to see a realistic check.
$h = password_hash('pässwörd ✓', PASSWORD_BCRYPT);
check(str_starts_with($h, '$2y$10$') && password_verify('pässwörd ✓', $h), $h);
line("$php password_hash (default cost)", 'pässwörd ✓', $h);

// 72-byte limit: "a" + 36 × "é" is 73 bytes, so the cut falls inside the last "é"; a password that differs only after
// byte 72 verifies too, as PHP says.
$long = 'a' . str_repeat('é', 36);
$twin = 'a' . str_repeat('é', 35) . 'è';
$h = password_hash($long, PASSWORD_BCRYPT, ['cost' => 4]);
check(password_verify($twin, $h), 'truncation twin');
line("$php password_hash", $long, $h, ['equivalent_password' => $twin]);
$ascii = str_repeat('0123456789', 8) . ' and more';
$h = crypt($ascii, "\$2y\$04\$$salt");
check(password_verify(substr($ascii, 0, 72) . 'different tail', $h), 'ascii truncation');
line("$php crypt", $ascii, $h, ['equivalent_password' => substr($ascii, 0, 72) . 'different tail']);

// Openwall crypt_blowfish wrapper.c test vectors (public domain), confirmed here with PHP's crypt().
$published = [
    ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'U*U'],
    ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK', 'U*U*'],
    ['$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a', 'U*U*U'],
    ['$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui',
        '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored'],
    ['$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', "\xa3"],
    ['$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', "\xff\xff\xa3"],
    ['$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', "\xff\xff\xa3"],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.nqd1wy.pTMdcvrRWxyiGL2eMz.2a85.', "\xff\xff\xa3"],
    ['$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e', "\xff\xff\xa3"],
    ['$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq', "\xa3"],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq', "\xa3"],
    ['$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq', "\xa3"],
    ['$2x$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi', "1\xa3345"],
    ['$2x$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi', "\xff\xa3345"],
    ['$2x$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi', "\xff\xa334\xff\xff\xff\xa3345"],
    ['$2y$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi', "\xff\xa334\xff\xff\xff\xa3345"],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.ZC1JEJ8Z4gPfpe1JOr/oyPXTWl9EFd.', "\xff\xa334\xff\xff\xff\xa3345"],
    ['$2y$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e', "\xff\xa3345"],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e', "\xff\xa3345"],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS', "\xa3ab"],
    ['$2x$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS', "\xa3ab"],
    ['$2y$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS', "\xa3ab"],
    ['$2x$05$6bNw2HLQYeqHYyBfLMsv/OiwqTymGIGzFsA4hOTWebfehXHNprcAS', "\xd1\x91"],
    ['$2x$05$6bNw2HLQYeqHYyBfLMsv/O9LIGgn8OMzuDoHfof8AQimSGfcSWxnS', "\xd0\xc1\xd2\xcf\xcc\xd8"],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.swQOIzjOiJ9GHEPuhEkvqrUyvWhEMx6',
        str_repeat("\xaa", 72) . 'chars after 72 are ignored as usual'],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.R9xrDjiycxMbQE2bp.vgqlYpW5wx2yy', str_repeat("\xaa\x55", 36)],
    ['$2a$05$/OK.fbVrR/bpIqNJ5ianF.9tQZzcJfm3uj2NvJ/n5xkhpqLrMpWCe', str_repeat("\x55\xaa\xff", 24)],
    ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy', ''],
];
foreach ($published as [$hash, $pw]) {
    check(crypt($pw, $hash) === $hash, $hash);
    line("openwall crypt_blowfish wrapper.c, checked with $php crypt", $pw, $hash);
}

// PHP's Argon2 (libargon2): password_hash() with small costs.
foreach ([PASSWORD_ARGON2I, PASSWORD_ARGON2ID] as $algo) {
    $h = password_hash('pässwörd ✓', $algo, ['memory_cost' => 256, 'time_cost' => 2, 'threads' => 1]);
    check(password_verify('pässwörd ✓', $h), $h);
    echo json_encode(['format' => 'argon2', 'tool' => "$php password_hash", 'password' => 'pässwörd ✓',
        'password_hash' => $h], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
}
