/**
 * Unpacks an uploaded zip without trusting what its headers claim: entries are
 * inflated by fflate's streaming decoder from small slices of input, every
 * byte produced is counted, and the first byte past a limit stops the work.
 * A deflate stream can grow ~1032× per input byte, so a slice of SLICE_BYTES
 * produces at most ~264 KiB before the count is checked. The event loop is
 * given back every YIELD_BYTES produced, so other requests (health, status)
 * are answered while an upload — honest or hostile — is unpacked.
 */
import { Unzip, UnzipInflate, type UnzipFile } from "fflate";

export interface UnzipLimits {
  /** Most bytes one entry may inflate to. */
  maxEntryBytes: number;
  /** Most bytes all entries together may inflate to. */
  maxTotalBytes: number;
  /** Most entries the archive may hold. */
  maxEntries: number;
}

/** Why an archive was refused; `produced` is how many bytes were inflated before stopping. */
export class UnzipError extends Error {
  constructor(
    message: string,
    readonly produced: number,
  ) {
    super(message);
    this.name = "UnzipError";
  }
}

export interface Unzipped {
  files: Record<string, Uint8Array>;
  /** Bytes inflated in all. */
  produced: number;
}

const SLICE_BYTES = 256;
const YIELD_BYTES = 1024 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function unzipCapped(zip: Uint8Array, limits: UnzipLimits): Promise<Unzipped> {
  const files: Record<string, Uint8Array> = {};
  const open = new Set<string>();
  let produced = 0;
  let sinceYield = 0;
  let failure: UnzipError | undefined;
  const fail = (message: string) => {
    failure ??= new UnzipError(message, produced);
  };

  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    if (Object.hasOwn(files, file.name) || open.has(file.name)) return fail(`the archive holds ${file.name} twice`);
    if (open.size + Object.keys(files).length >= limits.maxEntries) return fail(`the archive holds more than ${limits.maxEntries} entries`);
    open.add(file.name);
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) return fail(`${file.name} cannot be unpacked (${err.message})`);
      size += data.length;
      produced += data.length;
      sinceYield += data.length;
      if (size > limits.maxEntryBytes) {
        file.terminate();
        return fail(`${file.name} unpacks to more than ${limits.maxEntryBytes} bytes`);
      }
      if (produced > limits.maxTotalBytes) {
        file.terminate();
        return fail(`the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
      }
      chunks.push(data);
      if (final) {
        open.delete(file.name);
        files[file.name] = concat(chunks, size);
      }
    };
    try {
      file.start();
    } catch (e) {
      fail(`${file.name} cannot be unpacked (${(e as Error).message})`);
    }
  });
  unzip.register(UnzipInflate);

  try {
    for (let at = 0; at < zip.length && !failure; at += SLICE_BYTES) {
      const end = Math.min(at + SLICE_BYTES, zip.length);
      unzip.push(zip.subarray(at, end), end === zip.length);
      if (sinceYield >= YIELD_BYTES) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
  } catch (e) {
    fail(`it is not a readable zip archive (${(e as Error).message})`);
  }
  if (failure) throw failure;
  if (open.size > 0) throw new UnzipError(`the archive ends inside ${[...open][0]} (truncated?)`, produced);
  return { files, produced };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
