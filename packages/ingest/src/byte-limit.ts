import { Transform, type TransformCallback } from 'node:stream';

export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError';
  constructor(readonly limit: number) {
    super(`The upload is larger than the limit of ${limit} bytes.`);
  }
}

/** Passes bytes through, counting them, and fails the stream the moment they exceed `limit`. */
export class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) cb(new PayloadTooLargeError(this.limit));
    else cb(null, chunk);
  }
}
