/**
 * The host: the pieces of the outside world (files, environment, clock) behind
 * small interfaces with Node and in-memory implementations, and the errors that
 * say the outside world failed.
 */
export { type FileSystem, type FileInfo, nodeFileSystem, memoryFileSystem, readStdin, readFileIfExistsSync } from './fs.js';
export { type Environment, type Clock, nodeEnvironment, memoryEnvironment, velaHome, systemClock, manualClock, colorAllowed } from './env.js';
export { makeDir, makeTempDir, removeTree, renamePath, writeFileInPlace } from './tree.js';
export { ExitCode, EnvironmentError, NotHealthyError, type FailureDetails } from './errors.js';
export { abortError, sleep, mapLimit, settleLimit, type Settled } from './async.js';
export { type Reporter, type TaskReporter, type ReporterEvent, recordingReporter, silentReporter } from './progress.js';
export { watchFiles, type FileWatch, type FileWatchOptions } from './watch-files.js';
export { announce, listenForNotices, type Notice } from './notices.js';
