import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** Kafka API keys: Produce writes records; OffsetCommit a consumer group's offsets; EndTxn commits or aborts a transaction. */
const PRODUCE = 0;
const OFFSET_COMMIT = 8;
const END_TXN = 26;

/**
 * `commit`: an EndTxn that commits a transaction; `produce`: a Produce request (its records are
 * written); `offset-commit`: a consumer group's OffsetCommit (the offsets are stored).
 */
export type LostAnswer = 'commit' | 'produce' | 'offset-commit';

/**
 * A kafkajs socket factory that loses the broker's answer to a request: the request reaches the
 * broker, which carries it out (commits the transaction, writes the records), and the connection
 * resets before the answer arrives, so the client cannot know whether it happened. Arm it with
 * `loseNext(kind, n)`; every other request and answer passes unchanged.
 */
export class LostAnswers {
  /** Answers lost so far. */
  lost = 0;
  private readonly armed = new Map<LostAnswer, number>();

  loseNext(answer: LostAnswer, count = 1): void {
    this.armed.set(answer, (this.armed.get(answer) ?? 0) + count);
  }

  /** Whether the answer to `frame` is to be lost (counts the armed losses of its kind down). */
  private take(frame: Buffer): boolean {
    const kind = requestKind(frame);
    const left = kind ? (this.armed.get(kind) ?? 0) : 0;
    if (left === 0) return false;
    this.armed.set(kind!, left - 1);
    return true;
  }

  readonly socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    const doomed = new Set<number>();
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk) && this.take(chunk)) doomed.add(chunk.readInt32BE(8));
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
 * Request frame: size, api key, api version, correlation id, client id, then the body. An
 * EndTxn body in versions 0–2 (not flexible) ends with its `committed` flag.
 */
function requestKind(frame: Buffer): LostAnswer | null {
  if (frame.length < 12) return null;
  const apiKey = frame.readInt16BE(4);
  if (apiKey === PRODUCE) return 'produce';
  if (apiKey === OFFSET_COMMIT) return 'offset-commit';
  if (apiKey !== END_TXN) return null;
  const version = frame.readInt16BE(6);
  if (version > 2) throw new Error(`LostAnswers reads EndTxn versions 0–2; the client sent version ${version}`);
  return frame[frame.length - 1] === 1 ? 'commit' : null;
}
