// What every operator command shares: a failure is one line saying what failed and what to do, and
// exit status 2, never a stack trace.

/** A failure to show as it is: its message is the one line the operator reads. */
export class CommandError extends Error {}

export function fail(command: string, message: string): never {
  console.error(`${command}: ${message}`);
  process.exit(2);
}

/** Runs a command's body; whatever it throws becomes one line and exit status 2. */
export async function run(command: string, body: () => unknown) {
  try {
    await body();
  } catch (error) {
    fail(command, error instanceof CommandError ? error.message : `${(error as Error).message ?? error}`.split("\n")[0]!);
  }
}
