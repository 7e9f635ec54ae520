/**
 * Writes a file all at once or not at all: the writer fills a temporary file
 * next to the target, which is renamed over the target only when complete.
 * A failure, Ctrl-C or SIGTERM removes the temporary file, so an interrupted
 * conversion or `algo data synth` leaves neither a half file nor litter.
 */
import { rmSync } from "node:fs";
import { rename, rm } from "node:fs/promises";

const SIGNALS = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const;

export async function writeAtomically<T>(path: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const tmp = `${path}.tmp-${process.pid}`;
  const onSignal = SIGNALS.map(([signal, code]) => {
    const handler = () => {
      rmSync(tmp, { force: true });
      process.exit(code);
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    const result = await write(tmp);
    await rename(tmp, path);
    return result;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    for (const off of onSignal) off();
  }
}
