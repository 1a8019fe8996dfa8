import type { ErrorCode } from './error-codes.ts';

// The one error shape of every Kino service: {"error": {"code", "message", "details"?,
// "request_id"}}, with stable UPPER_SNAKE codes and the right status. In a module of its
// own so the helpers that throw it import no cycle through the package's index.

/** An error a service means to return. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
