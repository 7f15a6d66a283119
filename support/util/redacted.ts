/** What a recording or a report shows instead of a value it must not carry. */
export const REDACTED = 'REDACTED';
