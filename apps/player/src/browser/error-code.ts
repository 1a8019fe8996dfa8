/** The `error.code` of one of our JSON error answers, if the body is one. */
export async function errorCodeOf(response: Response | null | undefined): Promise<string | undefined> {
  try {
    const body = (await response?.json()) as { error?: { code?: unknown } } | undefined;
    return typeof body?.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}
