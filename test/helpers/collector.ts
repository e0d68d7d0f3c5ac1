// A stream that keeps what is written to it: a command's standard output or
// error, read back by a test.
import { Writable } from 'node:stream';

export function collector(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}
