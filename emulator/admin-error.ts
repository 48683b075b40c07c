/** Raised by admin calls on a missing record (404) or a bad input (400). */
export class AdminError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}
