/**
 * Facts about network addresses that several layers check: the endpoints hss accepts (settings), where
 * plain http may go (api), where a sandbox may listen (commands).
 */

/** True for `localhost` and the loopback addresses (127.0.0.0/8, ::1), with or without IPv6 brackets. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
