import type { Request, Response } from 'express';
import { AssetflowError, ErrorCodes } from '../domain/errors';
import type { IdentityService } from '../services/identity.service';
import { credentialsOf } from './routes/auth.routes';

/** Open streams one user may hold (a few tabs); each costs a socket, a listener and a timer. */
export const STREAMS_PER_USER = 5;
/** Open streams in all, well below the process's file descriptors. */
export const STREAMS_IN_ALL = 1000;

interface OpenStream {
  userId: string;
  credentials: { session?: string; bearer?: string };
  end: () => void;
}

/**
 * The live event streams of the process (security review L1): capped per user and in all, and
 * each one's credential is checked again on every heartbeat and at once when its user signs out,
 * is disabled or loses a credential, so a stream never outlives the right to read it.
 */
export class EventStreams {
  private readonly open = new Set<OpenStream>();
  private listening = false;

  constructor(
    private readonly identity: IdentityService,
    private readonly heartbeatMs: number,
  ) {}

  /**
   * Starts a `text/event-stream` answer for the signed-in user, or 429 when a cap is reached.
   * Returns `send` for events and `closed`, which settles when the stream ends for any reason.
   */
  start(req: Request, res: Response, userId: string) {
    if (!this.listening) {
      this.listening = true;
      this.identity.onCredentialsEnded((ended) => {
        for (const stream of this.open) if (stream.userId === ended) void this.recheck(stream);
      });
    }
    let mine = 0;
    for (const stream of this.open) if (stream.userId === userId) mine++;
    if (mine >= STREAMS_PER_USER || this.open.size >= STREAMS_IN_ALL)
      throw new AssetflowError(
        ErrorCodes.TOO_MANY_STREAMS,
        mine >= STREAMS_PER_USER
          ? `At most ${STREAMS_PER_USER} notification streams per user; close one first.`
          : 'Too many notification streams are open; try again later.',
        429,
        { perUser: STREAMS_PER_USER },
      );
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const stream: OpenStream = { userId, credentials: credentialsOf(req), end: () => res.end() };
    this.open.add(stream);
    const heartbeat = setInterval(() => {
      res.write(': keep-alive\n\n');
      void this.recheck(stream);
    }, this.heartbeatMs);
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        clearInterval(heartbeat);
        this.open.delete(stream);
        resolve();
      }),
    );
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    return { send, closed };
  }

  /** Ends the stream unless its session or token still stands for the same, enabled user. */
  private async recheck(stream: OpenStream): Promise<void> {
    try {
      const who = await this.identity.authenticate(stream.credentials, { recordUse: false });
      if (who?.user.id === stream.userId) return;
    } catch {
      // The catalogue is unreachable: the stream cannot be vouched for, so it ends (clients reconnect).
    }
    if (this.open.has(stream)) stream.end();
  }
}
