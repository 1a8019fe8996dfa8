/**
 * One Server-Sent Events message (comments are not messages), or a block that only set the
 * last event id (`data` undefined): the spec has it update the id all the same, and the api
 * opens a stream that starts "now" with one, to say where now is.
 */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string | undefined;
}

/**
 * Parses a text/event-stream body as the HTML spec says (CRLF, CR or LF line ends; `data:`
 * lines joined by newlines; a message dispatched at a blank line). `onActivity` is told of
 * every chunk, pings included, so a caller can tell a quiet stream from a dead one.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, onActivity: () => void): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  let idSet = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onActivity();
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      // A CR at the very end may be half of a CRLF still on its way.
      while ((end = buffer.search(/\r\n|\r(?!$)|\n/)) !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        if (line === '') {
          if (data.length) yield { id, event: event || 'message', data: data.join('\n') };
          else if (idSet) yield { id, event: '', data: undefined };
          event = '';
          data = [];
          idSet = false;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) {
          id = value;
          idSet = true;
        }
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
