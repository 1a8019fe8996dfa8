/** The `error` of one of our JSON error answers (`{"error": {"code", "message"}}`), if the body is one. */
export async function errorOf(response: Response | null | undefined): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await response?.json()) as { error?: { code?: unknown; message?: unknown } } | undefined;
    const { code, message } = body?.error ?? {};
    return { ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' && message ? { message } : {}) };
  } catch {
    return {};
  }
}

/** The `error.code` of one of our JSON error answers, if the body is one. */
export async function errorCodeOf(response: Response | null | undefined): Promise<string | undefined> {
  return (await errorOf(response)).code;
}
