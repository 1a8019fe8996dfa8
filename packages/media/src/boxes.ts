import { open } from 'node:fs/promises';

export interface TopLevelBox {
  type: string;
  offset: number;
  size: number;
}

/**
 * The top-level ISO-BMFF boxes of a file (ftyp, moov, mdat, …), read from their headers
 * only. `complete` is false when a box claims more bytes than the file holds, which is
 * how an upload cut short looks even when its moov survived at the front.
 */
export async function readTopLevelBoxes(file: string): Promise<{ boxes: TopLevelBox[]; complete: boolean }> {
  const fh = await open(file, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    const header = Buffer.alloc(16);
    const boxes: TopLevelBox[] = [];
    let offset = 0;
    while (offset < fileSize) {
      const { bytesRead } = await fh.read(header, 0, 16, offset);
      if (bytesRead < 8) return { boxes, complete: false };
      let size = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (size === 1) {
        if (bytesRead < 16) return { boxes, complete: false };
        size = Number(header.readBigUInt64BE(8));
      } else if (size === 0) {
        size = fileSize - offset;
      }
      if (size < 8) return { boxes, complete: false };
      boxes.push({ type, offset, size });
      if (offset + size > fileSize) return { boxes, complete: false };
      offset += size;
    }
    return { boxes, complete: true };
  } finally {
    await fh.close();
  }
}
