/** Matrix identifier grammar, shared by server and clients (the crypto SDK parses these). */

export function userIdFor(username: string, serverName: string): string {
  return `@${username}:${serverName}`;
}

/** Splits `@localpart:server` into its parts, or returns null when it is not a user id. */
export function parseUserId(userId: string): { localpart: string; serverName: string } | null {
  const match = /^@([^:]+):(.+)$/.exec(userId);
  if (!match) return null;
  return { localpart: match[1], serverName: match[2] };
}
