// The few ISO-BMFF fields that place a CMAF segment in time. A segment encoded on its own
// starts at time zero; rewriting these makes it the segment the ladder would have written at
// the same index: `tfdt` (when its samples decode), `sidx`'s earliest presentation time and
// `mfhd`'s sequence number. Nothing else differs, so the bytes keep their length.

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'moof', 'traf']);

interface Box {
  type: string;
  /** Offset of the box's header in the buffer. */
  start: number;
  /** Offset of its payload (after size and type). */
  body: number;
  end: number;
}

function* boxes(buf: Buffer, start = 0, end = buf.length): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = buf.readUInt32BE(at);
    let body = at + 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at || at + size > end) throw new Error('malformed ISO-BMFF box');
    const box = { type: buf.toString('latin1', at + 4, at + 8), start: at, body, end: at + size };
    yield box;
    if (CONTAINERS.has(box.type)) yield* boxes(buf, body, box.end);
    at += size;
  }
}

/** The first track's media timescale (ticks per second), from an init segment's `mdhd`. */
export function trackTimescale(init: Buffer): number {
  for (const b of boxes(init)) {
    if (b.type !== 'mdhd') continue;
    const version = init[b.body]!;
    // version/flags, then creation and modification times: 32-bit each in v0, 64-bit in v1.
    return init.readUInt32BE(b.body + (version === 1 ? 20 : 12));
  }
  throw new Error('init segment without mdhd');
}

/**
 * Shifts a segment by `offset` ticks of its track's `timescale` and numbers it `sequence`,
 * in place.
 */
export function retimeSegment(seg: Buffer, offset: bigint, timescale: number, sequence: number): void {
  for (const b of boxes(seg)) {
    const version = seg[b.body]!;
    if (b.type === 'mfhd') seg.writeUInt32BE(sequence, b.body + 4);
    else if (b.type === 'tfdt') {
      if (version === 1) seg.writeBigUInt64BE(seg.readBigUInt64BE(b.body + 4) + offset, b.body + 4);
      else seg.writeUInt32BE(Number(BigInt(seg.readUInt32BE(b.body + 4)) + offset), b.body + 4);
    } else if (b.type === 'sidx') {
      // version/flags, reference_ID, timescale, then earliest_presentation_time in that timescale.
      const shift = (offset * BigInt(seg.readUInt32BE(b.body + 8))) / BigInt(timescale);
      const at = b.body + 12;
      if (version === 1) seg.writeBigUInt64BE(seg.readBigUInt64BE(at) + shift, at);
      else seg.writeUInt32BE(Number(BigInt(seg.readUInt32BE(at)) + shift), at);
    }
  }
}
