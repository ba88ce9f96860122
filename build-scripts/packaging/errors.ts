// One error type for packaging: a code to grep for and a message that says what to do next.
export class PackagingError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PackagingError';
  }
}
