/**
 * Startup stops with this: one line on stderr that says what is wrong and what to do, and an exit code from
 * sysexits(3) so that a supervisor can tell a setting to fix from a server to wait for.
 */
export class StartupError extends Error {
  override name = 'StartupError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/** sysexits(3) EX_CONFIG: the configuration asks for something this command cannot do. */
export const EXIT_CONFIG = 78;
/** sysexits(3) EX_UNAVAILABLE: a service the configuration names is not there. */
export const EXIT_UNAVAILABLE = 69;
