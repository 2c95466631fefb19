/**
 * What a pipeline learns on the way that only the command line shows: how an
 * input file's format was decided (a note, shown with `-v`) and a close guess
 * (a warning, always shown). A process-wide channel rather than an option of
 * every pipeline function, because the Appfile is read deep inside many of
 * them (`status`, `logs`, `workflow`… find the app's name through it), and one
 * listener (the base command, for the length of one command) says it the same
 * way for all. Without a listener, nothing is said.
 */
import type { Diagnostic } from '../source/index.js';

export type Notice = { readonly kind: 'note'; readonly text: string } | { readonly kind: 'warning'; readonly diagnostic: Diagnostic };

const listeners = new Set<(notice: Notice) => void>();

export function announce(notice: Notice): void {
  for (const listener of listeners) listener(notice);
}

/** Hears every notice until the returned function is called. */
export function listenForNotices(listener: (notice: Notice) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
