import { ConfigError } from './config.ts';

export interface Role {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a role as its own process: starts it, and on SIGTERM or SIGINT stops it and exits.
 * A second signal while stopping exits at once, for the impatient Ctrl-C.
 */
export async function runRole(name: string, create: () => Promise<Role>): Promise<void> {
  let role: Role;
  try {
    role = await create();
    await role.start();
  } catch (err) {
    const msg = err instanceof ConfigError ? `configuration: ${err.message}` : err instanceof Error ? err.stack : String(err);
    console.error(`[kino ${name}] could not start: ${msg}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.error(`[kino ${name}] ${signal}: stopping`);
    role.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(`[kino ${name}] stop failed`, err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
