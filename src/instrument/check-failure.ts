// What a health check's report says about it: any thrown value as one readable, bounded line.

/**
 * A readable line for whatever a check threw, Error or not. Never throws: a thrown value may be
 * a Proxy whose every property read throws, or an Error whose `message` getter does.
 */
export function describeFailure(error: unknown): string {
  try {
    if (error instanceof Error) {
      const name = String(error.name);
      const message = String(error.message);
      return message === '' ? name : `${name}: ${message}`;
    }
    if (typeof error === 'string') return error === '' ? 'check failed (threw an empty string)' : error;
    if (error === undefined || error === null) return `check failed (threw ${String(error)})`;
    if (typeof error !== 'object') return `check failed (threw ${String(error)})`;
  } catch {
    return UNDESCRIBABLE;
  }
  try {
    const json = JSON.stringify(error);
    return typeof json === 'string' ? `check failed (threw ${json})` : UNDESCRIBABLE;
  } catch {
    // Circular or otherwise unserialisable: say what it was, if even that can be read.
    try {
      return `check failed (threw ${Object.prototype.toString.call(error)})`;
    } catch {
      return UNDESCRIBABLE;
    }
  }
}

/** Longest `details` kept, in UTF-16 units: a check must not be able to bloat every report. */
const MAX_DETAILS_LENGTH = 1024;

export function limitDetails(details: string): string {
  return details.length <= MAX_DETAILS_LENGTH ? details : `${details.slice(0, MAX_DETAILS_LENGTH)}… (truncated)`;
}

const UNDESCRIBABLE = 'check failed (threw a value that cannot be described)';
