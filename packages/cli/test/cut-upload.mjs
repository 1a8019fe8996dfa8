// Preloaded into a CLI run by upload-resume.test.ts (node --import): the process kills
// itself (SIGKILL: no cleanup, the connection just drops) once its tus PATCH has handed
// KINO_TEST_CUT_AFTER_BYTES bytes to the socket, and each PATCH reports on stderr the offset
// it starts from. The CLI itself has no test hook.
const cutAfter = Number(process.env.KINO_TEST_CUT_AFTER_BYTES ?? Number.POSITIVE_INFINITY);
const realFetch = globalThis.fetch;

globalThis.fetch = (input, init = {}) => {
  const request = input instanceof Request ? input : undefined;
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  if (method !== 'PATCH') return realFetch(input, init);
  process.stderr.write(`[cut-upload] PATCH from ${new Headers(init.headers).get('upload-offset')}\n`);
  const body = init.body;
  async function* cut() {
    let sent = 0;
    for await (const chunk of body) {
      yield chunk;
      sent += chunk.length;
      if (sent >= cutAfter) process.kill(process.pid, 'SIGKILL');
    }
  }
  return realFetch(input, { ...init, body: cut() });
};
