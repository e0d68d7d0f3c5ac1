// A failure as one sentence for the person at the terminal, never a stack:
// the CLI's error boundary (runCommand) prints it after the command's name.
// Errors that already say what to do (DauntlessError: a server not
// answering, no endpoints, bad config) keep their message; Node's file errors
// and csv-parse's say which file and what is wrong with it.
import { CsvError } from 'csv-parse';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';

type FileError = Error & { code: string; path: string; syscall?: string };

const isFileError = (error: unknown): error is FileError =>
  error instanceof Error && typeof (error as FileError).code === 'string' && typeof (error as FileError).path === 'string';

function describeFileError({ code, path, message }: FileError): string {
  switch (code) {
    case 'ENOENT':
      return `no such file: ${path}`;
    case 'EACCES':
    case 'EPERM':
      return `not allowed to read or write ${path}`;
    case 'EISDIR':
      return `${path} is a directory, not a file`;
    case 'ENOTDIR':
      return `${path}: a part of the path is not a directory`;
    default:
      return message;
  }
}

/** One line: a message that spans several is joined. */
const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');

export function describeFailure(error: unknown): string {
  if (error instanceof DauntlessError) return oneLine(error.message);
  if (error instanceof CsvError) return oneLine(`not well-formed CSV: ${error.message}`);
  if (isFileError(error)) return oneLine(describeFileError(error));
  if (error instanceof Error) {
    // ioredis and kafkajs name themselves poorly ("Connection is closed.",
    // "Reached the max retries per request limit"); the commands that use
    // them say which server, and this is the fallback.
    if (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.') return `Redis did not answer (${oneLine(error.message)})`;
    if (/^KafkaJS(Connection|NumberOfRetriesExceeded|BrokerNotFound|RequestTimeout)/.test(error.name)) return `Kafka did not answer (${oneLine(error.message)})`;
    if (error.name.startsWith('KafkaJS')) return `Kafka: ${oneLine(error.message)}`;
    return oneLine(error.message) || error.name;
  }
  return oneLine(String(error));
}
