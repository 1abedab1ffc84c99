/** A failed REST call, with the reason a person can act on. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, or 0 when the server was not reached */
    readonly status: number,
    message: string,
    /** the request was sent but no answer came within its time limit */
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** true when the server could not be reached at all (network down, cloud stopped) */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** Reads a short error text from a response body (`{error}` or `{message}`), never a whole HTML page. */
export async function errorText(res: Pick<Response, 'status' | 'statusText'> & { json(): Promise<unknown> }): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    const text = body.error ?? body.message;
    if (typeof text === 'string') return text.slice(0, 300);
  } catch {
    // not JSON: fall through to the status text
  }
  return res.statusText || `HTTP ${res.status}`;
}
