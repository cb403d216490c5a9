// The other end of a channel, whatever carries it: a cluster worker's IPC (process.send), a
// worker thread's port (postMessage), seen from either side. Sending never throws, and a
// channel that closed is noticed once.
import type { MessagePort, Worker } from 'node:worker_threads';

/** Messages promlite sends carry this key, so that they never pass for the application's own. */
export const PROTOCOL_KEY = 'promlite';
/** The key's value: the protocol and its version. */
export const PROTOCOL = 'metrics-sharing/2';

/** What one side asks or answers; `id` pairs an answer with its request. */
export type ProtocolMessage =
  | { readonly type: 'hello' | 'hello?' | 'bye' }
  | { readonly type: 'snapshot?' | 'aggregate?'; readonly id: number }
  /** A part of a snapshot arrived: the sender may send the next one. */
  | { readonly type: 'ack'; readonly id: number; readonly part: number }
  | {
      readonly type: 'snapshot' | 'aggregate';
      readonly id: number;
      /** Snapshots travel in parts (see parts.ts): this one's index, and how many there are. */
      readonly part?: number;
      readonly parts?: number;
      readonly snapshot?: unknown;
      readonly error?: string;
    };

/** Something that sends and receives messages as a process's IPC does (`process`, a cluster worker, a child). */
export interface IpcLike {
  send?(message: unknown, callback?: (error: Error | null) => void): boolean;
  readonly connected?: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** A worker thread, or a `MessagePort`, from either end. */
export type PortLike = Pick<Worker | MessagePort, 'postMessage' | 'on' | 'off'>;

/** One end of a channel, as the sharing and the aggregating side use it. */
export interface Peer {
  /** Sends a protocol message; `false` when the channel is closed. Never throws. */
  send(message: ProtocolMessage): boolean;
  /**
   * Calls `onMessage` for each protocol message (others are the application's, and ignored), and
   * `onGone` once when the channel closes. Returns a function that stops both.
   */
  listen(onMessage: (message: ProtocolMessage) => void, onGone: () => void): () => void;
}

/** Whether a value is a port-like (`postMessage`) rather than an IPC-like (`send`) end. */
export const isPortLike = (value: unknown): value is PortLike =>
  typeof (value as { postMessage?: unknown } | null)?.postMessage === 'function';

/** Whether a value has what {@link peerOf} needs. */
export const isChannelLike = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { on?: unknown }).on === 'function' &&
  typeof (value as { off?: unknown }).off === 'function' &&
  (isPortLike(value) || typeof (value as { send?: unknown }).send === 'function');

/** The peer over a port-like or IPC-like end. */
export function peerOf(end: PortLike | IpcLike): Peer {
  const tag = (message: ProtocolMessage) => ({ [PROTOCOL_KEY]: PROTOCOL, ...message });
  const send = isPortLike(end)
    ? (message: ProtocolMessage) => {
        try {
          end.postMessage(tag(message));
          return true;
        } catch {
          return false;
        }
      }
    : (message: ProtocolMessage) => {
        try {
          if (end.connected === false || end.send === undefined) return false;
          // With a callback, a channel that closes meanwhile is reported there, not thrown or emitted.
          end.send(tag(message), () => {});
          return true;
        } catch {
          return false;
        }
      };
  const goneEvents = isPortLike(end) ? ['exit', 'close'] : ['exit', 'disconnect'];
  return {
    send,
    listen(onMessage, onGone) {
      let gone = false;
      const receive = (message: unknown) => {
        try {
          if ((message as Record<string, unknown> | null)?.[PROTOCOL_KEY] === PROTOCOL)
            onMessage(message as ProtocolMessage);
        } catch {
          // A malformed message is the sender's problem; it must not become the host's exception.
        }
      };
      const leave = () => {
        if (gone) return;
        gone = true;
        onGone();
      };
      end.on('message', receive);
      for (const event of goneEvents) end.on(event, leave);
      return () => {
        end.off('message', receive);
        for (const event of goneEvents) end.off(event, leave);
      };
    },
  };
}
