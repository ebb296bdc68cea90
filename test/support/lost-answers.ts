import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** Kafka API key of EndTxn, the request that commits or aborts a transaction. */
const END_TXN = 26;

/**
 * A kafkajs socket factory that loses the broker's answer to a transaction's commit: the
 * EndTxn request reaches the broker, which commits, and the connection drops before the answer
 * arrives, so the client cannot know whether its commit happened. Arm it with
 * `loseNextCommitAnswers(n)`; every other request and answer passes unchanged.
 */
export class LostAnswers {
  /** Commit answers lost so far. */
  lost = 0;
  private armed = 0;

  loseNextCommitAnswers(count = 1): void {
    this.armed += count;
  }

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    const doomed = new Set<number>();
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (this.armed > 0 && Buffer.isBuffer(chunk) && isCommitRequest(chunk)) {
        this.armed--;
        doomed.add(chunk.readInt32BE(8));
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    // Answers are re-cut into whole frames, so a doomed one is recognised by its correlation id.
    let pending = Buffer.alloc(0);
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event !== 'data') return emit(event, ...args);
      pending = Buffer.concat([pending, args[0] as Buffer]);
      while (pending.length >= 8 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readInt32BE(0));
        pending = pending.subarray(frame.length);
        if (doomed.has(frame.readInt32BE(4))) {
          this.lost++;
          // As a reset connection does: an error, so the client fails the request at once.
          socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
          return true;
        }
        emit('data', frame);
      }
      return true;
    }) as typeof socket.emit;
    return socket;
  };
}

/**
 * An EndTxn request that commits. Request frame: size, api key, api version, correlation id,
 * client id, then the body; in versions 0–2 (not flexible) the body ends with the `committed` flag.
 */
function isCommitRequest(frame: Buffer): boolean {
  if (frame.length < 12 || frame.readInt16BE(4) !== END_TXN) return false;
  const version = frame.readInt16BE(6);
  if (version > 2) throw new Error(`LostAnswers reads EndTxn versions 0–2; the client sent version ${version}`);
  return frame[frame.length - 1] === 1;
}
