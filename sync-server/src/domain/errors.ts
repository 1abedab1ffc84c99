/** An error a request can cause, with the HTTP status and the machine-readable code it maps to. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly retryAfterSec?: number,
    /** more of the answer's body, beside `error` and `message` (the booking a 409 clashes with) */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'missing or invalid token'): ApiError =>
  new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string): ApiError => new ApiError(403, 'forbidden', message);
export const notFound = (what: string): ApiError => new ApiError(404, 'not-found', `${what} not found`);
export const badRequest = (message: string): ApiError => new ApiError(400, 'bad-request', message);
