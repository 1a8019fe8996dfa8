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

// trun flags (ISO/IEC 14496-12 8.8.8) and tfhd defaults a sample falls back on.
const TRUN_DATA_OFFSET = 0x1;
const TRUN_FIRST_SAMPLE_FLAGS = 0x4;
const TRUN_DURATION = 0x100;
const TRUN_SIZE = 0x200;
const TRUN_FLAGS = 0x400;
const TRUN_CTO = 0x800;
const TFHD_BASE_DATA_OFFSET = 0x1;
const TFHD_DESCRIPTION = 0x2;
const TFHD_DURATION = 0x8;
const TFHD_SIZE = 0x10;

/**
 * A run of samples of a one-fragment, one-track segment, as a segment of its own: `styp`,
 * then a `moof` whose `tfdt` is `decodeTime` and whose `trun` lists each kept sample's
 * duration and size, then their bytes in an `mdat`. Samples `from` … `from + count - 1`
 * (to the end without `count`). For audio encoded with some lead-in before the part it is
 * for: the lead-in warms the encoder, and is cut off here.
 */
export function cutSamples(seg: Buffer, from: number, count: number | undefined, decodeTime: bigint, sequence: number): Buffer {
  let styp: Buffer | undefined;
  let moofStart = -1;
  let tfhd: Box | undefined;
  let trun: Box | undefined;
  for (const b of boxes(seg)) {
    if (b.type === 'styp') styp = seg.subarray(b.start, b.end);
    else if (b.type === 'moof') {
      if (moofStart >= 0) throw new Error('segment with more than one fragment');
      moofStart = b.start;
    } else if (b.type === 'tfhd') tfhd = b;
    else if (b.type === 'trun') trun = b;
  }
  if (!tfhd || !trun || moofStart < 0) throw new Error('segment without a track fragment');

  const tfhdFlags = seg.readUInt32BE(tfhd.body) & 0xffffff;
  if (tfhdFlags & TFHD_BASE_DATA_OFFSET) throw new Error('explicit base data offsets are not supported');
  let at = tfhd.body + 8;
  if (tfhdFlags & TFHD_DESCRIPTION) at += 4;
  const defaultDuration = tfhdFlags & TFHD_DURATION ? seg.readUInt32BE(at) : 0;
  if (tfhdFlags & TFHD_DURATION) at += 4;
  const defaultSize = tfhdFlags & TFHD_SIZE ? seg.readUInt32BE(at) : 0;

  const flags = seg.readUInt32BE(trun.body) & 0xffffff;
  const total = seg.readUInt32BE(trun.body + 4);
  at = trun.body + 8;
  // With default-base-is-moof, the data offset counts from the moof's first byte.
  const dataOffset = flags & TRUN_DATA_OFFSET ? seg.readInt32BE(at) : 0;
  if (flags & TRUN_DATA_OFFSET) at += 4;
  if (flags & TRUN_FIRST_SAMPLE_FLAGS) at += 4;
  let offset = moofStart + dataOffset;
  const samples: Array<{ duration: number; size: number; offset: number }> = [];
  for (let i = 0; i < total; i++) {
    const duration = flags & TRUN_DURATION ? seg.readUInt32BE(at) : defaultDuration;
    if (flags & TRUN_DURATION) at += 4;
    const size = flags & TRUN_SIZE ? seg.readUInt32BE(at) : defaultSize;
    if (flags & TRUN_SIZE) at += 4;
    if (flags & TRUN_FLAGS) at += 4;
    if (flags & TRUN_CTO) at += 4;
    samples.push({ duration, size, offset });
    offset += size;
  }
  const kept = samples.slice(from, count === undefined ? undefined : from + count);
  if (kept.length === 0 || (count !== undefined && kept.length < count)) {
    throw new Error(`the segment holds ${total} samples, not ${from} + ${count ?? 'some'}`);
  }

  const box = (type: string, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  const u32 = (...xs: number[]) => {
    const b = Buffer.alloc(4 * xs.length);
    for (const [i, x] of xs.entries()) b.writeUInt32BE(x >>> 0, 4 * i);
    return b;
  };
  const tfdt = Buffer.alloc(12);
  tfdt.writeUInt32BE(0x01000000, 0); // version 1: a 64-bit time
  tfdt.writeBigUInt64BE(decodeTime, 4);
  const entries = kept.flatMap((s) => [s.duration, s.size]);
  const build = (dataStart: number) =>
    box(
      'moof',
      box('mfhd', u32(0, sequence)),
      box(
        'traf',
        seg.subarray(tfhd!.start, tfhd!.end),
        box('tfdt', tfdt),
        box('trun', u32(TRUN_DATA_OFFSET | TRUN_DURATION | TRUN_SIZE, kept.length, dataStart, ...entries)),
      ),
    );
  // The data offset points past the moof and the mdat header; the moof's size does not depend on it.
  const moof = build(build(0).length + 8);
  const mdat = box('mdat', ...kept.map((s) => seg.subarray(s.offset, s.offset + s.size)));
  return Buffer.concat([...(styp ? [styp] : []), moof, mdat]);
}
