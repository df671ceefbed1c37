import { connect, Socket } from 'node:net';

export type ScanVerdict = { clean: true; result: string } | { clean: false; signature: string; result: string };

/** Scans bytes for malware; throws when it cannot give a verdict (the file then stays unavailable). */
export abstract class VirusScanner {
  abstract scan(bytes: Buffer): Promise<ScanVerdict>;
}

const CHUNK = 64 * 1024;

/**
 * A client of the ClamAV daemon's socket protocol: `zINSTREAM`, then the file as
 * length-prefixed chunks (4-byte big-endian length), ended by a zero-length chunk; the
 * reply is `stream: OK`, `stream: <signature> FOUND` or `... ERROR`, NUL-terminated.
 * Anything but OK or FOUND (a size limit hit, a daemon error) is an error, never clean.
 */
export class ClamdScanner extends VirusScanner {
  constructor(private readonly target: { socket?: string; host?: string; port: number; timeoutMs: number }) {
    super();
  }

  scan(bytes: Buffer): Promise<ScanVerdict> {
    return new Promise((resolve, reject) => {
      const socket: Socket = this.target.host ? connect({ host: this.target.host, port: this.target.port }) : connect({ path: this.target.socket! });
      const replies: Buffer[] = [];
      let settled = false;
      const done = (err: Error | null, verdict?: ScanVerdict) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        if (err) reject(err);
        else resolve(verdict!);
      };
      socket.setTimeout(this.target.timeoutMs, () => done(new Error(`clamd did not answer within ${this.target.timeoutMs} ms`)));
      socket.on('error', (e) => done(new Error(`clamd unreachable: ${e.message}`)));
      socket.on('data', (d) => replies.push(d));
      socket.on('end', () => finish());
      socket.on('close', () => finish());
      const finish = () => {
        const reply = Buffer.concat(replies).toString('utf8').replace(/\0/g, '').trim();
        if (!reply) return done(new Error('clamd closed the connection without a verdict'));
        if (/^stream: OK$/.test(reply)) return done(null, { clean: true, result: reply });
        const found = /^stream: (.+) FOUND$/.exec(reply);
        if (found) return done(null, { clean: false, signature: found[1], result: reply });
        done(new Error(`clamd could not scan the file: ${reply}`));
      };
      socket.on('connect', () => {
        socket.write('zINSTREAM\0');
        for (let i = 0; i < bytes.length; i += CHUNK) {
          const part = bytes.subarray(i, i + CHUNK);
          const len = Buffer.alloc(4);
          len.writeUInt32BE(part.length, 0);
          socket.write(len);
          socket.write(part);
        }
        socket.write(Buffer.alloc(4)); // zero-length chunk: end of stream
      });
    });
  }
}
