import { errorFromAnswer } from './errors.ts';

/** What a raw openapi-fetch call resolves to: data on success, the parsed error body otherwise. */
interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer; every other answer becomes a KinoError. */
export async function unwrap<D>(call: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFromAnswer(response, error);
  return data as D;
}

/** The things every hand-written helper needs besides the typed client. */
export interface Transport {
  baseUrl: string;
  /** The KinoError-guarded fetch. */
  fetch: typeof fetch;
  /** Authorization (and User-Agent, when set) for requests made outside the typed client. */
  headers: Record<string, string>;
}

export const url = (t: Transport, path: string, query: Record<string, string | undefined> = {}): string => {
  const q = Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined);
  return `${t.baseUrl}${path}${q.length ? `?${new URLSearchParams(q)}` : ''}`;
};
