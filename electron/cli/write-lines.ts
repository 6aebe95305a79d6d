// Writes text to stdout honouring back-pressure, so NDJSON of a multi-GB log streams in bounded
// memory. A closed pipe (e.g. `| head`) ends the process quietly.

export async function writeOut(text: string, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (text === '') return;
  if (!stream.write(text)) {
    await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
