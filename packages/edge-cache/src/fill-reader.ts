import { Readable } from 'node:stream';
import type { Fill } from './fill.ts';

const READ_BYTES = 256 * 1024;

/**
 * A client's view of a fill in progress: the temp file from the start, up to what has been
 * written, then parked until the fill brings more. A reader that keeps up is handed each
 * chunk as it arrives from the origin; one that falls behind (a slow client) reads the file
 * at its own pace. It fails only if the fill fails before it has the bytes it still needs.
 */
export class FillReader extends Readable {
  private pos = 0;
  private released = false;

  constructor(
    private readonly fill: Fill,
    private readonly end: number,
  ) {
    super({ highWaterMark: READ_BYTES });
  }

  override _read(): void {
    this.pump();
  }

  /** Called by the fill for a parked reader: a new chunk at `offset`, or the fill's end. */
  wake(chunk: Buffer | undefined, offset: number): void {
    this.fill.parked.delete(this);
    if (this.destroyed) return;
    if (chunk && offset === this.pos) {
      this.pos += chunk.length;
      this.push(chunk);
    } else {
      this.pump();
    }
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.fill.parked.delete(this);
    if (!this.released) {
      this.released = true;
      this.fill.unref();
    }
    callback(err);
  }

  private pump(): void {
    const f = this.fill;
    if (this.pos >= this.end) {
      this.push(null);
    } else if (this.pos < f.written) {
      this.readFile();
    } else if (f.state === 'failed') {
      this.destroy(f.error);
    } else {
      f.parked.add(this);
    }
  }

  private readFile(): void {
    const n = Math.min(READ_BYTES, this.fill.written - this.pos);
    const buf = Buffer.allocUnsafe(n);
    this.fill.file!.read(buf, 0, n, this.pos).then(
      ({ bytesRead }) => {
        if (this.destroyed) return;
        if (bytesRead === 0) return void this.destroy(new Error('cache temp file ended early'));
        this.pos += bytesRead;
        this.push(bytesRead === n ? buf : buf.subarray(0, bytesRead));
      },
      (err: Error) => this.destroy(err),
    );
  }
}
