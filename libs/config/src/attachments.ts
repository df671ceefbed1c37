/** Where attachments are kept, how big they may be, and how to reach the ClamAV daemon. */
export interface AttachmentConfig {
  /** A directory; a shared volume when several API processes run. */
  dir: string;
  maxBytes: number;
  clamd: { socket: string | undefined; host: string | undefined; port: number; timeoutMs: number };
}

type Env = Record<string, string | undefined>;

export function loadAttachmentConfig(env: Env, problems: string[]): AttachmentConfig {
  const int = (name: string, dflt: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return dflt;
    }
    return n;
  };
  const host = env.CLAMD_HOST || undefined;
  return {
    dir: env.ATTACHMENTS_DIR || './.data/attachments',
    maxBytes: int('ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    clamd: {
      // A TCP host wins over the socket; otherwise Debian's clamav-daemon socket.
      socket: host ? undefined : env.CLAMD_SOCKET || '/var/run/clamav/clamd.ctl',
      host,
      port: int('CLAMD_PORT', 3310, 1, 65535),
      timeoutMs: int('CLAMD_TIMEOUT_MS', 60000, 100, 600000),
    },
  };
}
