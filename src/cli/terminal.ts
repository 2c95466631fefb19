/** The terminal as `vela exec` hands it to a command in a pod. */

export interface TerminalStdin {
  /** Pass stdin to the command (-i). */
  readonly attach: boolean;
  /** Raw mode, so keys reach the remote terminal as typed (-t with -i on a terminal). */
  readonly raw: boolean;
}

/** Runs `fn` with stdin set up as asked and puts it back afterwards, whatever happens. */
export async function withTerminalStdin<T>(opts: TerminalStdin, fn: () => Promise<T>): Promise<T> {
  if (opts.raw) process.stdin.setRawMode(true);
  try {
    return await fn();
  } finally {
    if (opts.raw) process.stdin.setRawMode(false);
    // A stdin still flowing would keep the process alive after the command ends.
    if (opts.attach) process.stdin.pause();
  }
}
