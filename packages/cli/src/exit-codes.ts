// What `kino` exits with, so scripts can tell a refusal from a typo, a bad key, a down
// server or a video that failed. README and `kino --help` list the same table.

export const EXIT = {
  /** Done. */
  OK: 0,
  /** The API refused or failed the request (its code and message are printed). */
  FAILED: 1,
  /** The command line was wrong: unknown command or option, missing argument. */
  USAGE: 2,
  /** Not logged in, or the key was refused (401). */
  AUTH: 3,
  /** The API could not be reached. */
  NETWORK: 4,
  /** An asset waited for (`--wait`) failed or was deleted. */
  ASSET_FAILED: 5,
  /** Interrupted (Ctrl-C); a cut upload resumes when the same command runs again. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    the API refused or failed the request (its error code and message are printed)
  2    usage error
  3    not logged in, or the API key was refused
  4    the API could not be reached
  5    an asset waited for with --wait failed or was deleted
  130  interrupted (an interrupted upload resumes when run again)`;
