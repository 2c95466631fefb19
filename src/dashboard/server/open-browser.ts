/**
 * `--open`: the user's browser on the dashboard's URL, through the desktop's
 * own opener. A missing opener is told, never fatal: the URL is printed anyway.
 */
import { spawn } from 'node:child_process';

export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const [command, args] =
    platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.once('error', (err) => resolve(`cannot open a browser (${command}: ${err.message}); open the URL yourself`));
    child.once('spawn', () => {
      child.unref();
      resolve(undefined);
    });
  });
}
