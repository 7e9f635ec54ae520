/**
 * `--from` / `--to`: any tick source limited to a time range. Records before
 * `fromNs` are skipped, reading stops at the first record at or after `untilNs`
 * (sources are in time order), so a range near the start of a long file costs
 * only what it reads.
 */
import { daysFromCivil, isoNs, NS_PER } from "./time.ts";
import { RecordBatch } from "./record.ts";
import { tsOf } from "../record-view.ts";
import type { TickSource } from "./source.ts";

export interface TimeRange {
  /** First instant kept (inclusive), ns since the epoch. */
  fromNs?: bigint;
  /** First instant no longer kept (exclusive), ns since the epoch. */
  untilNs?: bigint;
}

const DAY_NS = 86_400n * NS_PER.s;

/**
 * A bound as typed: `2020-03-01` (a UTC day), `2020-03-01T14:30:00Z` (an
 * instant, to the ns), or whole ns since the epoch. A day as an end means
 * the whole day: `--to 2020-03-31` keeps March 31. Returns the range's
 * instant, or throws RangeError saying what was expected.
 */
export function parseTimeBound(text: string, end: boolean): bigint {
  if (/^\d+$/.test(text)) return BigInt(text) + (end ? 1n : 0n);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z)?$/.exec(text);
  if (!m) throw new RangeError(`expected a UTC date (2020-03-01), an instant (2020-03-01T14:30:00Z) or ns since 1970, got "${text}"`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = daysFromCivil(y, mo, d);
  const [ry, rm, rd] = civilOf(day);
  if (mo < 1 || mo > 12 || ry !== y || rm !== mo || rd !== d) throw new RangeError(`"${text}" is not a calendar date`);
  const dayNs = BigInt(day) * DAY_NS;
  if (m[4] === undefined) return end ? dayNs + DAY_NS : dayNs;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw new RangeError(`"${text}" is not a time of day`);
  const ns = dayNs + BigInt(h * 3600 + mi * 60 + s) * NS_PER.s + BigInt((m[7] ?? "").padEnd(9, "0"));
  return end ? ns + 1n : ns; // an instant as an end is kept
}

/** The days-from-civil inverse (Hinnant's civil_from_days), to check a date exists. */
function civilOf(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** `source` limited to `range` (the source itself when the range is open on both ends). */
export function withinTimeRange(source: TickSource, range: TimeRange): TickSource {
  const { fromNs, untilNs } = range;
  if (fromNs === undefined && untilNs === undefined) return source;
  const inner = source.limitedTo?.(range) ?? source;
  const bounds = [fromNs === undefined ? "" : `from ${isoNs(fromNs)}`, untilNs === undefined ? "" : `before ${isoNs(untilNs)}`].filter(Boolean).join(", ");
  return {
    description: `${source.description}; only ${bounds}`,
    async *batches(batchSize?: number) {
      let out: RecordBatch | undefined;
      for await (const batch of inner.batches(batchSize)) {
        out ??= new RecordBatch(batch.capacity);
        out.clear();
        const w = batch.words;
        let done = false;
        for (let i = 0; i < batch.length; i++) {
          const ts = tsOf(w, i);
          if (untilNs !== undefined && ts >= untilNs) {
            done = true;
            break;
          }
          if (fromNs !== undefined && ts < fromNs) continue;
          out.pushCopy(w, i);
        }
        if (out.length > 0) yield out;
        if (done) return; // ends the source's own loop too (its files are closed)
      }
    },
  };
}
