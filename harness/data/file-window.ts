/**
 * Sequential reads into ONE reused buffer: the text readers' only view of a
 * file. Each `fill` moves the unconsumed tail (a partial line or JSON token)
 * to the front and reads the next chunk after it, so memory is fixed at
 * chunk + longest carried tail, and bytes are copied once (disk → window)
 * instead of once more per chunk as `Buffer.concat(rest, chunk)` would.
 */
import { open, type FileHandle } from "node:fs/promises";
import { DataError } from "./errors.ts";
import { CHUNK_BYTES, MAX_LINE_BYTES } from "./batching.ts";

export class FileWindow {
  /** Valid bytes are `buf[0, end)`; `view()` is that slice. */
  private buf: Buffer;
  private end = 0;
  private pos = 0;
  private eof = false;
  private first = true;

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    private readonly chunkBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(chunkBytes, 4) + Math.min(MAX_LINE_BYTES, 64 * 1024));
  }

  static async open(path: string, chunkBytes = CHUNK_BYTES): Promise<FileWindow> {
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
    return new FileWindow(await open(path, "r"), path, chunkBytes);
  }

  /** Bytes of the file read so far (progress of a conversion). */
  get bytesRead(): number {
    return this.pos;
  }

  /** The valid bytes, as a fresh view (valid until the next fill). */
  view(): Buffer {
    return this.buf.subarray(0, this.end);
  }

  /**
   * Keeps `bytes[keepFrom, end)`, moves it to the front, appends the next
   * chunk. Returns false at end of file (nothing was read). `line` is only
   * used to word the error when a carried tail grows past MAX_LINE_BYTES.
   */
  async fill(keepFrom: number, line: number): Promise<boolean> {
    if (this.eof) return false;
    const keep = this.end - keepFrom;
    if (keep > MAX_LINE_BYTES) {
      throw new DataError({ file: this.path, line, expected: `a line or token shorter than ${MAX_LINE_BYTES} bytes` });
    }
    if (keep + this.chunkBytes > this.buf.length) {
      const bigger = Buffer.allocUnsafe(keep + this.chunkBytes);
      this.buf.copy(bigger, 0, keepFrom, this.end);
      this.buf = bigger;
    } else if (keep > 0 && keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.end);
    }
    let end = keep;
    // The first read takes at least 4 bytes so a byte-order mark is seen whole.
    const want = this.first ? Math.max(this.chunkBytes, 4) : this.chunkBytes;
    const { bytesRead } = await this.fh.read(this.buf, end, want, this.pos);
    this.pos += bytesRead;
    end += bytesRead;
    // Drop a UTF-8 byte-order mark at the very start of the file.
    if (this.first) {
      this.first = false;
      if (end >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) {
        this.buf.copyWithin(0, 3, end);
        end -= 3;
      }
    }
    this.end = end;
    if (bytesRead === 0) this.eof = true;
    return bytesRead > 0;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
